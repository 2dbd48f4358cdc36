package dev.lethe.store;

import dev.lethe.crypto.DataKey;
import dev.lethe.crypto.InstanceKey;
import dev.lethe.crypto.KeyRing;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The keystore: one data key per person key, made once however many writers race for it, destroyed on
 * request by re-keying its bucket, after whose scrub nothing in the keystore's pages opens it, while the others'
 * keys stay. A rotation of the KEK rewraps every bucket key (the same data keys open the same content), finishes
 * when run again after a stop, and leaves no copy of a bucket key as wrapped before it, in the pages or openable
 * with the keyring.
 */
abstract class KeystoreContract extends StoreContract {

    static final long P = 1;

    /** Whether the keystore's pages (live or dead rows, any file of it) hold these bytes. */
    abstract boolean keystoreHolds(byte[] bytes);

    /** Every bucket's key as stored, by bucket. */
    private Map<Integer, byte[]> wrappedBuckets() {
        Map<Integer, byte[]> out = new java.util.HashMap<>();
        db.keystore().storedBuckets().forEach((bucket, stored) -> out.put(bucket, stored.wrapped()));
        return out;
    }

    private byte[] wrappedBucket(int bucket) {
        return db.keystore().storedBuckets().get(bucket).wrapped();
    }

    /** How many bucket keys each KEK wraps, by KEK id. */
    private Map<Integer, Long> bucketsByKek() {
        Map<Integer, Long> byKek = new java.util.TreeMap<>();
        db.keystore().storedBuckets().values().forEach(b -> byKek.merge(b.kek(), 1L, Long::sum));
        return byKek;
    }

    private String[] open(byte[] person, Sealer.Kind kind, byte[] sealed) {
        String[] fields = db.withConnection(tx -> tx.sealer().open(P, person, kind, sealed));
        return fields;
    }

    private static List<String> texts(Sealer.Encoded fields) {
        return List.of(fields.text(0), fields.text(1), fields.text(2));
    }

    private byte[] person(String id) {
        return db.keys().person(P, id);
    }

    @Test
    void a_person_s_key_is_made_once_and_opens_what_it_sealed_until_it_is_destroyed() {
        byte[] alice = person("alice");
        byte[] sealed = db.withConnection(tx -> tx.sealer().seal(P, alice, Sealer.Kind.EVENT, "alice", "i-1", "{\"a\":1}"));
        assertThat(open(alice, Sealer.Kind.EVENT, sealed))
                .containsExactly("alice", "i-1", "{\"a\":1}");
        assertThat(open(alice, Sealer.Kind.PROFILE, sealed))
                .as("sealed as an event, it does not open as a profile").isNull();
        assertThat(open(person("bob"), Sealer.Kind.EVENT, sealed))
                .as("nor under another person").isNull();

        assertThat(db.keystore().destroy(P, List.of(alice))).isEqualTo(1);
        assertThat(db.keystore().count(P, List.of(alice))).isZero();
        assertThat(open(alice, Sealer.Kind.EVENT, sealed)).isNull();
        assertThat(db.keystore().destroy(P, List.of(alice))).as("destroying twice is harmless").isZero();
    }

    /** The person key of the first {@code prefix + i} that meets the condition. */
    /**
     * A person key in {@code of}'s sub-bucket (its last byte changed), or, with {@code otherSub}, in another sub-bucket
     * of its bucket (the sub-bucket bits of its third byte changed). The keystore takes person keys as they come, so a
     * neighbour need not be the keyed hash of an id: finding one among hashes took ~131,000 tries, seconds a test.
     */
    private static byte[] neighbour(byte[] of, boolean otherSub) {
        byte[] k = of.clone();
        if (otherSub) {
            k[2] ^= 0x08;
        } else {
            k[k.length - 1] ^= 0x01;
        }
        return k;
    }

    private byte[] personWhere(String prefix, java.util.function.Predicate<byte[]> condition) {
        for (int i = 0; ; i++) {
            byte[] candidate = person(prefix + i);
            if (condition.test(candidate)) {
                return candidate;
            }
        }
    }

    @Test
    void a_reader_across_units_reuses_unwrapped_keys_only_while_their_rows_are_unchanged() {
        // why: a neighbour in Ada's sub-bucket, whose key destroying Ada's rewraps, and one in another sub-bucket of
        // her bucket, whose key stays as it was
        byte[] ada = person("reader-ada");
        byte[] bo = neighbour(ada, false);
        byte[] cy = neighbour(ada, true);
        byte[] adaSealed = db.withConnection(tx -> tx.sealer().seal(P, ada, Sealer.Kind.EVENT, "ada", "i-1", "{}"));
        byte[] boSealed = db.withConnection(tx -> tx.sealer().seal(P, bo, Sealer.Kind.EVENT, "bo", "i-2", "{}"));
        db.withConnection(tx -> tx.sealer().seal(P, cy, Sealer.Kind.EVENT, "cy", "i-3", "{}"));
        Map<ByteBuffer, DataKey> unwrapped = new java.util.HashMap<>();

        Map<ByteBuffer, DataKey> first = db.keystore().find(P, List.of(ada, bo, cy), unwrapped);
        Map<ByteBuffer, DataKey> again = db.keystore().find(P, List.of(ada, bo, cy), unwrapped);
        assertThat(unwrapped).hasSize(3);
        assertThat(again.get(ByteBuffer.wrap(ada))).as("an unchanged row is not unwrapped again")
                .isSameAs(first.get(ByteBuffer.wrap(ada)));

        assertThat(db.keystore().destroy(P, List.of(ada))).isEqualTo(1);
        Map<ByteBuffer, DataKey> after = db.keystore().find(P, List.of(ada, bo, cy), unwrapped);
        assertThat(after).as("a key destroyed since is gone for the reader").doesNotContainKey(ByteBuffer.wrap(ada));
        DataKey boNow = after.get(ByteBuffer.wrap(bo));
        assertThat(boNow).as("the re-keyed sub-bucket rewrapped the neighbour's row, so it is unwrapped again")
                .isNotSameAs(first.get(ByteBuffer.wrap(bo)));
        assertThat(boNow.open(DataKey.associated("EVENT", P, bo), boSealed)).as("to the same data key").isNotNull();
        assertThat(after.get(ByteBuffer.wrap(cy))).as("another sub-bucket's row is unchanged, so reused")
                .isSameAs(first.get(ByteBuffer.wrap(cy)));

        Sealer reader = db.readerSealer();
        assertThat(texts(reader.openUnitEncoded(P, Sealer.Kind.EVENT, List.of(new Sealer.Stored(bo, boSealed))).get(0)))
                .containsExactly("bo", "i-2", "{}");
        assertThat(reader.openUnitEncoded(P, Sealer.Kind.EVENT, List.of(new Sealer.Stored(ada, adaSealed))).get(0))
                .as("a reader's unit opens nothing with a destroyed key").isNull();
    }

    @Test
    void a_lookup_reuses_a_key_opened_before_only_while_its_row_is_unchanged() {
        byte[] ada = person("lately-ada");
        byte[] bo = neighbour(ada, false);
        Map<ByteBuffer, DataKey> made = db.keystore().findOrCreate(P, List.of(ada, bo), 0);
        DataKey boMade = made.get(ByteBuffer.wrap(bo));
        assertThat(db.keystore().find(P, List.of(bo)).get(ByteBuffer.wrap(bo))).as("an unchanged row is not opened again")
                .isSameAs(boMade);

        assertThat(db.keystore().destroy(P, List.of(ada))).isEqualTo(1);

        assertThat(db.keystore().find(P, List.of(ada))).as("a destroyed key, though opened before").isEmpty();
        DataKey boNow = db.keystore().find(P, List.of(bo)).get(ByteBuffer.wrap(bo));
        assertThat(boNow).as("a row wrapped again is opened again").isNotSameAs(boMade);
        assertThat(opensTheSame(boMade, boNow)).as("to the same key").isTrue();
        DataKey adaAgain = db.keystore().findOrCreate(P, List.of(ada), 1).get(ByteBuffer.wrap(ada));
        assertThat(opensTheSame(made.get(ByteBuffer.wrap(ada)), adaAgain)).as("a key made again after a destruction is new").isFalse();
        assertThat(db.keystore().find(P, List.of(ada)).get(ByteBuffer.wrap(ada))).isSameAs(adaAgain);
    }

    @Test
    void a_reader_across_units_keeps_its_keys_until_a_key_of_the_project_is_destroyed() {
        long other = P + 1;
        byte[] ada = person("kept-ada");
        byte[] bo = person("kept-bo");
        byte[] elsewhere = db.keys().person(other, "kept-elsewhere");
        List<Sealer.Stored> rows = List.of(
                new Sealer.Stored(ada, db.withConnection(tx -> tx.sealer().seal(P, ada, Sealer.Kind.EVENT, "ada", "i-1", "{}"))),
                new Sealer.Stored(bo, db.withConnection(tx -> tx.sealer().seal(P, bo, Sealer.Kind.EVENT, "bo", "i-2", "{}"))));
        db.withConnection(tx -> tx.sealer().seal(other, elsewhere, Sealer.Kind.EVENT, "x", "i-3", "{}"));
        long before = db.keystore().destructions(P);
        Sealer reader = db.readerSealer();
        assertThat(reader.openUnitEncoded(P, Sealer.Kind.EVENT, rows)).allSatisfy(f -> assertThat(f).isNotNull());

        assertThat(db.keystore().destroy(other, List.of(elsewhere))).isEqualTo(1);
        assertThat(db.keystore().destructions(P)).as("another project's destruction").isEqualTo(before);
        assertThat(db.keystore().destroy(P, List.of(person("never-had-a-key")))).isZero();
        assertThat(db.keystore().destructions(P)).as("a destruction of nothing").isEqualTo(before);
        assertThat(reader.openUnitEncoded(P, Sealer.Kind.EVENT, rows)).allSatisfy(f -> assertThat(f).isNotNull());

        assertThat(db.keystore().destroy(P, List.of(ada))).isEqualTo(1);
        assertThat(db.keystore().destructions(P)).isEqualTo(before + 1);
        List<Sealer.Encoded> after = reader.openUnitEncoded(P, Sealer.Kind.EVENT, rows);
        assertThat(after.get(0)).as("a key the reader held before its destruction opens nothing in the next unit").isNull();
        assertThat(texts(after.get(1))).containsExactly("bo", "i-2", "{}");
    }

    @Test
    void writers_racing_for_a_new_person_s_key_all_get_the_same_one() throws Exception {
        byte[] carol = person("carol");
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<byte[]>> sealed = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int n = i;
                sealed.add(threads.submit(() -> db.withConnection(tx -> tx.sealer().seal(P, carol, Sealer.Kind.EVENT, "v" + n))));
            }
            for (int i = 0; i < sealed.size(); i++) {
                byte[] s = sealed.get(i).get(60, TimeUnit.SECONDS);
                assertThat(open(carol, Sealer.Kind.EVENT, s)).containsExactly("v" + i);
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(db.keystore().count(P, List.of(carol))).isEqualTo(1);
    }

    @Test
    void after_its_scrub_no_page_holds_a_replaced_bucket_key_and_nothing_left_opens_a_destroyed_key() {
        // why: enough people for the keystore's B-trees to split pages many times over, which is where stale
        // copies of moved cells come from, and for buckets to hold several people each
        List<byte[]> people = new ArrayList<>();
        for (int i = 0; i < 12_000; i++) {
            people.add(person("person-" + i));
        }
        Map<ByteBuffer, DataKey> made = db.keystore().findOrCreate(P, people, 0);
        assertThat(made).hasSize(people.size());
        List<byte[]> erased = List.of(people.get(17), people.get(1_500), people.get(11_999));
        List<byte[]> wrappedKeys = erased.stream().map(k -> db.keystore().wrapped(P, k)).toList();
        List<byte[]> replacedBuckets = erased.stream().map(k -> wrappedBucket(KeyBuckets.of(k))).toList();
        Map<Integer, byte[]> subsBefore = db.keystore().storedSubBuckets();
        List<byte[]> replacedSubs = erased.stream().map(k -> subsBefore.get(KeySubBuckets.of(k))).toList();
        assertThat(replacedSubs).doesNotContainNull();
        assertThat(replacedBuckets).allSatisfy(w -> assertThat(keystoreHolds(w)).as("the probe sees stored keys").isTrue());

        assertThat(db.keystore().destroy(P, erased)).isEqualTo(3);
        db.keystore().scrub();

        assertThat(replacedBuckets).allSatisfy(w -> assertThat(keystoreHolds(w)).as("a replaced bucket key's bytes").isFalse());
        // why: copies of the destroyed data keys may stay in the pages; what must hold is that nothing left opens them,
        // for someone holding the keystore's files and the instance key
        // (the keys of the buckets and sub-buckets as stored now, and every old sub-bucket key that a key of a bucket as
        // it is now opens)
        List<DataKey> bucketKeys = db.keystore().bucketKeys();
        java.util.Collection<DataKey> subKeys = db.keystore().subBucketKeys().values();
        for (int i = 0; i < erased.size(); i++) {
            int sub = KeySubBuckets.of(erased.get(i));
            byte[] oldSub = replacedSubs.get(i);
            assertThat(bucketKeys).as("the sub-bucket key that wrapped a destroyed key, as stored before")
                    .noneMatch(bucketKey -> DataKey.unwrap(bucketKey, KeySubBuckets.associated(sub), oldSub) != null);
            byte[] associated = Keystore.associated(P, erased.get(i));
            byte[] wrapped = wrappedKeys.get(i);
            assertThat(bucketKeys).noneMatch(bucketKey -> DataKey.unwrap(bucketKey, associated, wrapped) != null);
            assertThat(subKeys).noneMatch(subKey -> DataKey.unwrap(subKey, associated, wrapped) != null);
        }
        List<byte[]> kept = people.stream().filter(k -> !erased.contains(k)).toList();
        Map<ByteBuffer, DataKey> left = db.keystore().find(P, kept);
        assertThat(left).as("every other key stays, the same key").hasSize(kept.size());
        byte[] probe = "a value sealed before".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(kept).allSatisfy(k -> assertThat(left.get(ByteBuffer.wrap(k)).open(new byte[0], made.get(ByteBuffer.wrap(k)).seal(new byte[0], probe)))
                .isEqualTo(probe));
    }

    @Test
    void a_destruction_re_keys_only_the_buckets_it_touched() {
        List<byte[]> people = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            people.add(person("few-" + i));
        }
        db.keystore().findOrCreate(P, people, 0);
        byte[] erased = people.get(0);
        int bucket = KeyBuckets.of(erased);
        int other = (bucket + 1) % KeyBuckets.COUNT;
        byte[] before = wrappedBucket(bucket);
        byte[] otherBefore = wrappedBucket(other);

        assertThat(db.keystore().destroy(P, List.of(erased))).isEqualTo(1);
        assertThat(wrappedBucket(bucket)).isNotEqualTo(before);
        assertThat(wrappedBucket(other)).isEqualTo(otherBefore);
        assertThat(db.keystore().destroy(P, List.of(erased))).as("nothing left to destroy re-keys nothing").isZero();
        assertThat(wrappedBucket(bucket)).hasSize(before.length);
    }

    @Test
    void a_destruction_rewraps_only_its_sub_bucket_s_data_keys_and_its_bucket_s_sub_bucket_keys() {
        byte[] ada = person("tree-ada");
        byte[] bo = neighbour(ada, false);
        byte[] cy = neighbour(ada, true);
        byte[] di = personWhere("tree-elsewhere-", k -> KeyBuckets.of(k) != KeyBuckets.of(ada));
        Map<ByteBuffer, byte[]> sealed = sealedWithEach(List.of(ada, bo, cy, di));
        Map<ByteBuffer, byte[]> wrappedBefore = new java.util.HashMap<>();
        for (byte[] k : List.of(bo, cy, di)) {
            wrappedBefore.put(ByteBuffer.wrap(k), db.keystore().wrapped(P, k));
        }
        Map<Integer, byte[]> subsBefore = db.keystore().storedSubBuckets();
        Map<Integer, DataKey> subKeysBefore = db.keystore().subBucketKeys();

        assertThat(db.keystore().destroy(P, List.of(ada))).isEqualTo(1);

        assertThat(db.keystore().wrapped(P, bo)).as("a data key of the same sub-bucket, wrapped anew")
                .isNotEqualTo(wrappedBefore.get(ByteBuffer.wrap(bo)));
        assertThat(db.keystore().wrapped(P, cy)).as("a data key of another sub-bucket of the bucket")
                .isEqualTo(wrappedBefore.get(ByteBuffer.wrap(cy)));
        assertThat(db.keystore().wrapped(P, di)).as("a data key of another bucket").isEqualTo(wrappedBefore.get(ByteBuffer.wrap(di)));
        Map<Integer, byte[]> subsAfter = db.keystore().storedSubBuckets();
        Map<Integer, DataKey> subKeysAfter = db.keystore().subBucketKeys();
        int adaSub = KeySubBuckets.of(ada);
        int cySub = KeySubBuckets.of(cy);
        int diSub = KeySubBuckets.of(di);
        assertThat(subsAfter.get(cySub)).as("the bucket's other sub-bucket key, wrapped under the bucket's new key")
                .isNotEqualTo(subsBefore.get(cySub)).hasSize(subsBefore.get(cySub).length);
        assertThat(opensTheSame(subKeysBefore.get(cySub), subKeysAfter.get(cySub))).as("and the same key").isTrue();
        assertThat(opensTheSame(subKeysBefore.get(adaSub), subKeysAfter.get(adaSub))).as("the destroyed key's sub-bucket has a new key")
                .isFalse();
        assertThat(subsAfter.get(diSub)).as("another bucket's sub-bucket").isEqualTo(subsBefore.get(diSub));
        sealed.remove(ByteBuffer.wrap(ada));
        assertEachKeyStillOpens(sealed);
    }

    @Test
    void keys_from_before_sub_buckets_open_and_move_into_them_when_their_bucket_is_re_keyed() {
        byte[] ada = person("unmoved-ada");
        List<byte[]> people = new ArrayList<>(people("unmoved-", 200));
        people.add(ada);
        people.add(neighbour(ada, true));
        people.add(neighbour(ada, false));
        Map<ByteBuffer, DataKey> keys = db.keystore().findOrCreate(P, people, 0);
        Map<ByteBuffer, byte[]> sealed = sealedWithEach(people);
        // why: rewritten as a keystore from before sub-buckets held them: no sub-bucket, each data key wrapped by its
        // bucket's key
        String table = new KeystoreSchema(db.config().kind()).keys;
        List<byte[]> oldWay = rewriteAsOlder(people, keys, "sub", k -> db.keystore().bucketKey(KeyBuckets.of(k)));
        assertEachKeyStillOpens(sealed);
        // why: at least Ada and her two neighbours; one of the others may share her bucket too
        long inAdasBucket = people.stream().filter(k -> KeyBuckets.of(k) == KeyBuckets.of(ada)).count();
        assertThat(inAdasBucket).isGreaterThanOrEqualTo(3);
        assertThat(rowsWithoutSubBucket(table, KeyBuckets.of(ada))).isEqualTo(inAdasBucket);

        assertThat(db.keystore().destroy(P, List.of(ada))).isEqualTo(1);
        db.keystore().scrub();

        assertThat(rowsWithoutSubBucket(table, KeyBuckets.of(ada))).as("the re-keyed bucket's keys moved into sub-buckets").isZero();
        assertThat(rowsWithoutSubBucket(table, null)).as("other buckets' keys wait for their own re-key").isEqualTo(people.size() - inAdasBucket);
        sealed.remove(ByteBuffer.wrap(ada));
        assertEachKeyStillOpens(sealed);
        byte[] adaOld = oldWay.get(people.indexOf(ada));
        assertThat(db.keystore().bucketKeys()).as("nothing left opens the destroyed key as wrapped the old way")
                .noneMatch(b -> DataKey.unwrap(b, Keystore.associated(P, ada), adaOld) != null);
    }

    /**
     * Rewrites these people's keystore rows as an older keystore held them: the column it lacked null, each data key
     * wrapped with the key {@code wrapping} gives for its person key. Returns the values written, in order.
     */
    private List<byte[]> rewriteAsOlder(List<byte[]> people, Map<ByteBuffer, DataKey> keys, String lacking,
                                        java.util.function.Function<byte[], DataKey> wrapping) {
        String table = new KeystoreSchema(db.config().kind()).keys;
        List<byte[]> written = new ArrayList<>();
        db.keystore().query(tx -> {
            try (java.sql.PreparedStatement ps = tx.prepareStatement("UPDATE " + table + " SET " + lacking + " = NULL, wrapped = ? "
                    + "WHERE project_id = ? AND person_key = ?")) {
                for (byte[] k : people) {
                    byte[] wrapped = Keystore.wrap(keys.get(ByteBuffer.wrap(k)), wrapping.apply(k), P, k);
                    written.add(wrapped);
                    ps.setBytes(1, wrapped);
                    ps.setLong(2, P);
                    ps.setBytes(3, k);
                    ps.executeUpdate();
                }
            }
            return null;
        });
        return written;
    }

    /** How many keystore rows have no sub-bucket, in this bucket (null: in any). */
    private long rowsWithoutSubBucket(String table, Integer bucket) {
        return db.keystore().query(tx -> {
            try (java.sql.PreparedStatement ps = tx.prepareStatement("SELECT COUNT(*) FROM " + table + " WHERE sub IS NULL"
                    + (bucket == null ? "" : " AND bucket = " + bucket));
                 java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** Whether a value sealed with one key opens with the other. */
    private static boolean opensTheSame(DataKey a, DataKey b) {
        byte[] probe = {1, 2, 3};
        return b.open(new byte[0], a.seal(new byte[0], probe)) != null;
    }

    @Test
    void deletions_scrubbing_at_once_each_return_with_their_bucket_s_old_key_gone_from_the_pages() throws Exception {
        List<byte[]> people = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            people.add(person("someone-" + i));
        }
        db.keystore().findOrCreate(P, people, 0);
        List<byte[]> erased = people.subList(0, 6);
        // why: the first probe sets itself up (PostgreSQL: CREATE EXTENSION), which threads racing for it would collide on
        assertThat(keystoreHolds(wrappedBucket(0))).isTrue();
        ExecutorService threads = Executors.newFixedThreadPool(erased.size());
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (byte[] key : erased) {
                runs.add(threads.submit(() -> {
                    // why: new keys are made meanwhile, as ingestion does while deletions finish
                    db.keystore().findOrCreate(P, List.of(person("new-" + ByteBuffer.wrap(key).hashCode())), 0);
                    byte[] replaced = wrappedBucket(KeyBuckets.of(key));
                    assertThat(db.keystore().destroy(P, List.of(key))).isEqualTo(1);
                    db.keystore().scrub();
                    assertThat(keystoreHolds(replaced)).as("a replaced bucket key's bytes after its own scrub returned").isFalse();
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get(120, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(db.keystore().count(P, people)).isEqualTo(people.size() - erased.size());
    }

    private List<byte[]> people(String prefix, int n) {
        List<byte[]> people = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            people.add(person(prefix + i));
        }
        return people;
    }

    /** A value sealed with each person's key as it is now, to check later that the same key still opens it. */
    private Map<ByteBuffer, byte[]> sealedWithEach(List<byte[]> people) {
        Map<ByteBuffer, DataKey> keys = db.keystore().findOrCreate(P, people, 0);
        Map<ByteBuffer, byte[]> sealed = new java.util.HashMap<>();
        keys.forEach((k, key) -> sealed.put(k, key.seal(new byte[0], k.array())));
        return sealed;
    }

    private void assertEachKeyStillOpens(Map<ByteBuffer, byte[]> sealed) {
        Map<ByteBuffer, DataKey> now = db.keystore().find(P, sealed.keySet().stream().map(ByteBuffer::array).toList());
        assertThat(now).hasSize(sealed.size());
        sealed.forEach((k, s) -> assertThat(now.get(k).open(new byte[0], s)).as("the same data key").isEqualTo(k.array()));
    }

    private KeyRing keyring() {
        return KeyRing.of(db.config().dataDir(), InstanceKey.loadOrCreate(db.config().dataDir()));
    }

    /** Whether any KEK of the data directory's keyring, as it is now, opens this wrapped bucket key. */
    private boolean keyringOpensBucket(int bucket, byte[] wrapped) {
        return keyringOpensBucket(keyring(), bucket, wrapped);
    }

    private static boolean keyringOpensBucket(KeyRing ring, int bucket, byte[] wrapped) {
        byte[] associated = DataKey.associated("key-bucket", bucket, new byte[0]);
        return ring.ids().stream().anyMatch(id -> DataKey.unwrap(ring.kek(id), associated, wrapped) != null);
    }

    private static final long ALL = KeyBuckets.COUNT;

    @Test
    void a_rotation_rewraps_every_bucket_key_with_a_new_kek_and_removes_the_old_one() throws Exception {
        List<byte[]> people = people("rotated-", 2_500);
        Map<ByteBuffer, byte[]> sealed = sealedWithEach(people);
        Map<Integer, byte[]> before = wrappedBuckets();
        assertThat(keyringOpensBucket(0, before.get(0))).as("the probe opens a current key").isTrue();
        assertThat(keystoreHolds(before.get(0))).as("the probe sees stored keys").isTrue();

        Keystore.Rotation first = db.keystore().rotateWrappingKey();

        assertThat(first).isEqualTo(new Keystore.Rotation(1, ALL, List.of(KeyRing.DERIVED), true));
        assertThat(bucketsByKek()).containsExactly(Map.entry(1, ALL));
        assertEachKeyStillOpens(sealed);
        assertThat(Files.readString(db.config().dataDir().resolve(KeyRing.FILE))).contains("retired 0");
        KeyRing ringAfter = keyring();
        for (int b = 0; b < KeyBuckets.COUNT; b++) {
            assertThat(keyringOpensBucket(ringAfter, b, before.get(b))).as("a bucket key as wrapped before, with the keyring after").isFalse();
        }
        for (int b = 0; b < KeyBuckets.COUNT; b += 256) {
            assertThat(keystoreHolds(before.get(b))).as("a bucket key as wrapped before, in the keystore's pages").isFalse();
        }

        byte[] underFirst = wrappedBucket(7);
        String keyringUnderFirst = Files.readString(db.config().dataDir().resolve(KeyRing.FILE));
        String firstKek = keyringUnderFirst.lines().filter(l -> l.startsWith("kek 1 ")).findFirst().orElseThrow().substring(6);

        Keystore.Rotation second = db.keystore().rotateWrappingKey();

        assertThat(second).isEqualTo(new Keystore.Rotation(2, ALL, List.of(1), true));
        assertThat(bucketsByKek()).containsExactly(Map.entry(2, ALL));
        assertEachKeyStillOpens(sealed);
        assertThat(Files.readString(db.config().dataDir().resolve(KeyRing.FILE))).as("the keyring after").doesNotContain(firstKek);
        assertThat(keyringOpensBucket(7, underFirst)).as("a bucket key as wrapped before, with the keyring after").isFalse();
        assertThat(keystoreHolds(underFirst)).isFalse();
        byte[] after = wrappedBucket(7);
        assertThat(DataKey.unwrap(DataKey.of(java.util.Base64.getDecoder().decode(firstKek)),
                DataKey.associated("key-bucket", 7, new byte[0]), after)).as("a bucket key as wrapped after, with the old KEK").isNull();
        assertThat(keyringOpensBucket(7, after)).isTrue();
    }

    @Test
    void a_rotation_stopped_part_way_is_finished_by_the_next_one_which_adds_no_kek() {
        List<byte[]> people = people("stopped-", 500);
        Map<ByteBuffer, byte[]> sealed = sealedWithEach(people);

        Keystore.Rotation stopped = db.keystore().rotateWrappingKey(1_000, 1);

        assertThat(stopped).isEqualTo(new Keystore.Rotation(1, 1_000, List.of(), false));
        assertThat(bucketsByKek()).as("one batch rewrapped, the rest left as by a crash")
                .containsExactly(Map.entry(0, ALL - 1_000), Map.entry(1, 1_000L));
        assertEachKeyStillOpens(sealed);
        sealed.putAll(sealedWithEach(List.of(person("made-meanwhile"))));
        byte[] erased = people.get(3);
        assertThat(db.keystore().destroy(P, List.of(erased))).as("a destruction meanwhile").isEqualTo(1);
        sealed.remove(ByteBuffer.wrap(erased));

        Keystore.Rotation finished = db.keystore().rotateWrappingKey();

        assertThat(finished).isEqualTo(new Keystore.Rotation(1, ALL - 1_000, List.of(KeyRing.DERIVED), true));
        assertThat(bucketsByKek()).containsExactly(Map.entry(1, ALL));
        assertEachKeyStillOpens(sealed);
        assertThat(keyring().ids()).containsExactly(1);
    }

    @Test
    void a_rotation_stopped_after_adding_its_kek_makes_that_one_current() {
        List<byte[]> people = people("added-", 10);
        Map<ByteBuffer, byte[]> sealed = sealedWithEach(people);
        int added = keyring().add();

        Keystore.Rotation finished = db.keystore().rotateWrappingKey();

        assertThat(finished).isEqualTo(new Keystore.Rotation(added, ALL, List.of(KeyRing.DERIVED), true));
        assertEachKeyStillOpens(sealed);
    }

    @Test
    void keys_made_and_destroyed_while_a_rotation_runs_all_end_under_the_new_kek() throws Exception {
        List<byte[]> people = people("before-", 1_000);
        Map<ByteBuffer, byte[]> sealed = sealedWithEach(people);
        AtomicBoolean rotating = new AtomicBoolean();
        AtomicBoolean rotated = new AtomicBoolean();
        AtomicInteger madeDuring = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        List<Future<Map<ByteBuffer, byte[]>>> writers = new ArrayList<>();
        Keystore.Rotation rotation;
        try {
            for (int t = 0; t < 4; t++) {
                int thread = t;
                writers.add(threads.submit(() -> {
                    Map<ByteBuffer, byte[]> made = new java.util.HashMap<>();
                    // why: until some keys were made (and one of each batch destroyed, re-keying its bucket) while the
                    // rotation ran, and then past its end
                    for (int batch = 0; !rotated.get() || batch < 5; batch++) {
                        boolean during = rotating.get();
                        List<byte[]> batchPeople = people("writer-" + thread + "-" + batch + "-", 5);
                        made.putAll(sealedWithEach(batchPeople));
                        assertThat(db.keystore().destroy(P, List.of(batchPeople.get(0)))).isEqualTo(1);
                        made.remove(ByteBuffer.wrap(batchPeople.get(0)));
                        if (during && !rotated.get()) {
                            madeDuring.addAndGet(5);
                        }
                    }
                    return made;
                }));
            }
            rotating.set(true);
            rotation = db.keystore().rotateWrappingKey(100, Integer.MAX_VALUE);
            rotated.set(true);
            for (Future<Map<ByteBuffer, byte[]>> writer : writers) {
                sealed.putAll(writer.get(120, TimeUnit.SECONDS));
            }
        } finally {
            rotated.set(true);
            threads.shutdownNow();
        }

        assertThat(madeDuring.get()).as("keys made while the rotation ran").isPositive();
        assertThat(rotation.finished()).isTrue();
        assertThat(bucketsByKek()).as("every bucket, re-keyed before, during or after").containsOnlyKeys(rotation.kek());
        assertEachKeyStillOpens(sealed);
    }

    @Test
    void a_keystore_from_before_buckets_moves_its_keys_into_them_and_keeps_no_copy_wrapped_the_old_way() throws Exception {
        List<byte[]> people = people("old-", 300);
        Map<ByteBuffer, DataKey> keys = db.keystore().findOrCreate(P, people, 0);
        Map<ByteBuffer, byte[]> sealed = new java.util.HashMap<>();
        keys.forEach((k, key) -> sealed.put(k, key.seal(new byte[0], k.array())));
        // why: rewritten as a keystore of session 5 held them: no bucket, each data key wrapped by KEK 0 itself
        DataKey kek0 = keyring().kek(KeyRing.DERIVED);
        String table = new KeystoreSchema(db.config().kind()).keys;
        List<byte[]> oldWay = rewriteAsOlder(people, keys, "bucket", k -> kek0);
        StoreConfig config = db.config();
        db.close();

        db = Database.open(config);

        assertEachKeyStillOpens(sealed);
        long unbucketed = db.keystore().query(tx -> {
            try (java.sql.Statement s = tx.createStatement();
                 java.sql.ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table + " WHERE bucket IS NULL")) {
                rs.next();
                return rs.getLong(1);
            }
        });
        assertThat(unbucketed).isZero();
        assertThat(oldWay).allSatisfy(w -> assertThat(keystoreHolds(w)).as("a key as wrapped before buckets").isFalse());
    }

    @Test
    void a_new_keystore_for_a_rotated_data_directory_starts_under_the_keyring_s_newest_kek() {
        db.keystore().rotateWrappingKey();
        KeystoreSchema schema = new KeystoreSchema(db.config().kind());
        // why: as an operator moving the keystore to a new, empty database would have it
        db.keystore().query(tx -> {
            try (java.sql.Statement s = tx.createStatement()) {
                s.execute("DROP TABLE " + schema.keys);
                s.execute("DROP TABLE " + schema.buckets);
                s.execute("DROP TABLE " + schema.meta);
            }
            return null;
        });
        StoreConfig config = db.config();
        db.close();

        db = Database.open(config);

        assertThat(bucketsByKek()).containsExactly(Map.entry(1, ALL));
        Map<ByteBuffer, byte[]> sealed = sealedWithEach(people("fresh-", 20));
        assertEachKeyStillOpens(sealed);
        assertThat(db.keystore().rotateWrappingKey().kek()).as("and rotates on from it").isEqualTo(2);
        assertEachKeyStillOpens(sealed);
    }
}
