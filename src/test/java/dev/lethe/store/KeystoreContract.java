package dev.lethe.store;

import dev.lethe.crypto.DataKey;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The keystore: one data key per person key, made once however many writers race for it, destroyed on
 * request by re-keying its bucket, after whose scrub nothing in the keystore's pages opens it, while the others'
 * keys stay.
 */
abstract class KeystoreContract extends StoreContract {

    static final long P = 1;

    /** Whether the keystore's pages (live or dead rows, any file of it) hold these bytes. */
    abstract boolean keystoreHolds(byte[] bytes);

    private String[] open(byte[] person, Sealer.Kind kind, byte[] sealed) {
        String[] fields = db.withConnection(tx -> tx.sealer().open(P, person, kind, sealed));
        return fields;
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
        List<byte[]> replacedBuckets = erased.stream().map(k -> db.keystore().wrappedBucket(db.keystore().bucketOf(k))).toList();
        assertThat(replacedBuckets).allSatisfy(w -> assertThat(keystoreHolds(w)).as("the probe sees stored keys").isTrue());

        assertThat(db.keystore().destroy(P, erased)).isEqualTo(3);
        db.keystore().scrub();

        assertThat(replacedBuckets).allSatisfy(w -> assertThat(keystoreHolds(w)).as("a replaced bucket key's bytes").isFalse());
        // why: copies of the destroyed data keys may stay in the pages; what must hold is that nothing left opens them,
        // for someone holding the keystore's files and the instance key
        List<DataKey> bucketKeys = db.keystore().bucketKeys();
        for (int i = 0; i < erased.size(); i++) {
            byte[] associated = Keystore.associated(P, erased.get(i));
            byte[] wrapped = wrappedKeys.get(i);
            assertThat(bucketKeys).noneMatch(bucketKey -> DataKey.unwrap(bucketKey, associated, wrapped) != null);
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
        int bucket = db.keystore().bucketOf(erased);
        int other = (bucket + 1) % KeyBuckets.COUNT;
        byte[] before = db.keystore().wrappedBucket(bucket);
        byte[] otherBefore = db.keystore().wrappedBucket(other);

        assertThat(db.keystore().destroy(P, List.of(erased))).isEqualTo(1);
        assertThat(db.keystore().wrappedBucket(bucket)).isNotEqualTo(before);
        assertThat(db.keystore().wrappedBucket(other)).isEqualTo(otherBefore);
        assertThat(db.keystore().destroy(P, List.of(erased))).as("nothing left to destroy re-keys nothing").isZero();
        assertThat(db.keystore().wrappedBucket(bucket)).hasSize(before.length);
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
        assertThat(keystoreHolds(db.keystore().wrappedBucket(0))).isTrue();
        ExecutorService threads = Executors.newFixedThreadPool(erased.size());
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (byte[] key : erased) {
                runs.add(threads.submit(() -> {
                    // why: new keys are made meanwhile, as ingestion does while deletions finish
                    db.keystore().findOrCreate(P, List.of(person("new-" + ByteBuffer.wrap(key).hashCode())), 0);
                    byte[] replaced = db.keystore().wrappedBucket(db.keystore().bucketOf(key));
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
}
