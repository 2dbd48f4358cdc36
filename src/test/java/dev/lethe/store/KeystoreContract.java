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
 * request, and after its scrub gone from the keystore's pages, while the others' keys stay. A rotation of the KEK
 * rewraps every key (the same keys open the same content), finishes when run again after a stop, and leaves no
 * copy of a key as wrapped before it, in the pages or openable with the keyring.
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
    void after_its_scrub_no_page_of_the_keystore_holds_a_destroyed_key() {
        // why: enough people for the keystore's B-tree to split pages many times over, which is where stale
        // copies of moved cells come from
        List<byte[]> people = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            people.add(person("person-" + i));
        }
        Map<ByteBuffer, DataKey> made = db.keystore().findOrCreate(P, people, 0);
        assertThat(made).hasSize(people.size());
        List<byte[]> erased = List.of(people.get(17), people.get(1_500), people.get(2_999));
        List<byte[]> wrapped = erased.stream().map(k -> db.keystore().wrapped(P, k)).toList();
        byte[] kept = db.keystore().wrapped(P, people.get(18));
        assertThat(wrapped).allSatisfy(w -> assertThat(keystoreHolds(w)).as("the probe sees stored keys").isTrue());

        assertThat(db.keystore().destroy(P, erased)).isEqualTo(3);
        db.keystore().scrub();

        assertThat(wrapped).allSatisfy(w -> assertThat(keystoreHolds(w)).as("a destroyed key's bytes").isFalse());
        assertThat(keystoreHolds(kept)).as("the others' keys stay").isTrue();
        assertThat(db.keystore().count(P, people)).isEqualTo(people.size() - 3);
    }

    @Test
    void deletions_scrubbing_at_once_each_return_with_their_key_gone_from_the_pages() throws Exception {
        List<byte[]> people = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            people.add(person("someone-" + i));
        }
        db.keystore().findOrCreate(P, people, 0);
        List<byte[]> erased = people.subList(0, 6);
        List<byte[]> wrapped = erased.stream().map(k -> db.keystore().wrapped(P, k)).toList();
        // why: the first probe sets itself up (PostgreSQL: CREATE EXTENSION), which threads racing for it would collide on
        assertThat(keystoreHolds(wrapped.get(0))).isTrue();
        ExecutorService threads = Executors.newFixedThreadPool(erased.size());
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < erased.size(); i++) {
                byte[] key = erased.get(i);
                byte[] bytes = wrapped.get(i);
                runs.add(threads.submit(() -> {
                    // why: new keys are made meanwhile, as ingestion does while deletions finish
                    db.keystore().findOrCreate(P, List.of(person("new-" + ByteBuffer.wrap(key).hashCode())), 0);
                    assertThat(db.keystore().destroy(P, List.of(key))).isEqualTo(1);
                    db.keystore().scrub();
                    assertThat(keystoreHolds(bytes)).as("a destroyed key's bytes after its own scrub returned").isFalse();
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

    /** Whether any KEK of the data directory's keyring, as it is now, opens this wrapped key of this person key. */
    private boolean keyringOpens(byte[] personKey, byte[] wrapped) {
        KeyRing ring = keyring();
        return ring.ids().stream().anyMatch(id -> DataKey.unwrap(ring.kek(id), Keystore.associated(P, personKey), wrapped) != null);
    }

    @Test
    void a_rotation_rewraps_every_key_with_a_new_kek_and_removes_the_old_one() throws Exception {
        List<byte[]> people = people("rotated-", 2_500);
        Map<ByteBuffer, byte[]> sealed = sealedWithEach(people);
        List<byte[]> before = people.stream().map(k -> db.keystore().wrapped(P, k)).toList();
        assertThat(keyringOpens(people.get(0), before.get(0))).as("the probe opens a current key").isTrue();
        assertThat(keystoreHolds(before.get(0))).as("the probe sees stored keys").isTrue();

        Keystore.Rotation first = db.keystore().rotateWrappingKey();

        assertThat(first).isEqualTo(new Keystore.Rotation(1, 2_500, List.of(KeyRing.DERIVED), true));
        assertThat(db.keystore().rowsByKek()).containsExactly(Map.entry(1, 2_500L));
        assertEachKeyStillOpens(sealed);
        assertThat(Files.readString(db.config().dataDir().resolve(KeyRing.FILE))).contains("retired 0");
        for (int i = 0; i < people.size(); i += 50) {
            assertThat(keyringOpens(people.get(i), before.get(i))).as("a key as wrapped before, with the keyring after").isFalse();
            assertThat(keystoreHolds(before.get(i))).as("a key as wrapped before, in the keystore's pages").isFalse();
        }

        List<byte[]> underFirst = people.stream().map(k -> db.keystore().wrapped(P, k)).toList();
        String keyringUnderFirst = Files.readString(db.config().dataDir().resolve(KeyRing.FILE));
        String firstKek = keyringUnderFirst.lines().filter(l -> l.startsWith("kek 1 ")).findFirst().orElseThrow().substring(6);

        Keystore.Rotation second = db.keystore().rotateWrappingKey();

        assertThat(second).isEqualTo(new Keystore.Rotation(2, 2_500, List.of(1), true));
        assertThat(db.keystore().rowsByKek()).containsExactly(Map.entry(2, 2_500L));
        assertEachKeyStillOpens(sealed);
        assertThat(Files.readString(db.config().dataDir().resolve(KeyRing.FILE))).as("the keyring after").doesNotContain(firstKek);
        assertThat(keyringOpens(people.get(7), underFirst.get(7))).as("a key as wrapped before, with the keyring after").isFalse();
        assertThat(keystoreHolds(underFirst.get(7))).isFalse();
        byte[] after = db.keystore().wrapped(P, people.get(7));
        assertThat(DataKey.unwrap(DataKey.of(java.util.Base64.getDecoder().decode(firstKek)), Keystore.associated(P, people.get(7)), after))
                .as("a key as wrapped after, with the old KEK").isNull();
        assertThat(keyringOpens(people.get(7), after)).isTrue();
    }

    @Test
    void a_rotation_stopped_part_way_is_finished_by_the_next_one_which_adds_no_kek() {
        List<byte[]> people = people("stopped-", 2_500);
        Map<ByteBuffer, byte[]> sealed = sealedWithEach(people);

        Keystore.Rotation stopped = db.keystore().rotateWrappingKey(1_000, 1);

        assertThat(stopped).isEqualTo(new Keystore.Rotation(1, 1_000, List.of(), false));
        assertThat(db.keystore().rowsByKek()).as("one batch rewrapped, the rest left as by a crash")
                .containsExactly(Map.entry(0, 1_500L), Map.entry(1, 1_000L));
        assertEachKeyStillOpens(sealed);
        db.keystore().findOrCreate(P, List.of(person("made-meanwhile")), 0);

        Keystore.Rotation finished = db.keystore().rotateWrappingKey();

        assertThat(finished).isEqualTo(new Keystore.Rotation(1, 1_500, List.of(KeyRing.DERIVED), true));
        assertThat(db.keystore().rowsByKek()).containsExactly(Map.entry(1, 2_501L));
        assertEachKeyStillOpens(sealed);
        assertThat(keyring().ids()).containsExactly(1);
    }

    @Test
    void a_rotation_stopped_after_adding_its_kek_makes_that_one_current() {
        List<byte[]> people = people("added-", 10);
        Map<ByteBuffer, byte[]> sealed = sealedWithEach(people);
        int added = keyring().add();

        Keystore.Rotation finished = db.keystore().rotateWrappingKey();

        assertThat(finished).isEqualTo(new Keystore.Rotation(added, 10, List.of(KeyRing.DERIVED), true));
        assertEachKeyStillOpens(sealed);
    }

    @Test
    void keys_made_by_writers_while_a_rotation_runs_all_end_under_the_new_kek() throws Exception {
        List<byte[]> people = people("before-", 3_000);
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
                    // why: until some keys were made while the rotation ran, and then past its end
                    for (int batch = 0; !rotated.get() || batch < 5; batch++) {
                        boolean during = rotating.get();
                        made.putAll(sealedWithEach(people("writer-" + thread + "-" + batch + "-", 5)));
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
        assertThat(db.keystore().rowsByKek()).as("every key, made before, during or after").containsOnlyKeys(rotation.kek());
        assertThat(db.keystore().rowsByKek().get(rotation.kek())).isEqualTo(sealed.size());
        assertEachKeyStillOpens(sealed);
    }

    @Test
    void a_keystore_from_before_keks_gets_the_kek_column_and_its_keys_open_as_kek_0() throws Exception {
        List<byte[]> people = people("old-", 20);
        Map<ByteBuffer, byte[]> sealed = sealedWithEach(people);
        String table = new KeystoreSchema(db.config().kind()).keys;
        db.keystore().query(tx -> {
            try (java.sql.Statement s = tx.createStatement()) {
                s.execute("ALTER TABLE " + table + " DROP COLUMN kek");
            }
            return null;
        });
        StoreConfig config = db.config();
        db.close();

        db = Database.open(config);

        assertThat(db.keystore().rowsByKek()).containsExactly(Map.entry(KeyRing.DERIVED, 20L));
        assertEachKeyStillOpens(sealed);
        assertThat(db.keystore().rotateWrappingKey().rewrapped()).isEqualTo(20);
        assertEachKeyStillOpens(sealed);
    }
}
