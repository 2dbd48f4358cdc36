package dev.lethe.crypto;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The keystore's KEKs: KEK 0 from lethe.key without a file, random KEKs added and removed through the file. */
class KeyRingTest {

    @TempDir
    Path dir;

    private static final byte[] ROW = "row".getBytes(StandardCharsets.UTF_8);

    private InstanceKey instanceKey() {
        return InstanceKey.loadOrCreate(dir);
    }

    @Test
    void without_a_file_the_one_kek_is_the_one_derived_from_lethe_key() {
        KeyRing ring = KeyRing.of(dir, instanceKey());
        DataKey key = DataKey.generate();

        byte[] wrapped = key.wrap(ring.kek(KeyRing.DERIVED), ROW);

        assertThat(DataKey.unwrap(instanceKey().wrappingKey(), ROW, wrapped)).as("KEK 0 is today's wrapping key").isNotNull();
        assertThat(ring.ids()).containsExactly(KeyRing.DERIVED);
        assertThat(ring.kek(1)).isNull();
        assertThat(dir.resolve(KeyRing.FILE)).as("reading creates no file").doesNotExist();
    }

    @Test
    void added_keks_are_numbered_in_order_kept_private_and_seen_by_another_instance_of_the_ring() throws Exception {
        KeyRing ring = KeyRing.of(dir, instanceKey());
        KeyRing other = KeyRing.of(dir, instanceKey());

        assertThat(ring.add()).isEqualTo(1);
        assertThat(ring.add()).isEqualTo(2);

        assertThat(ring.newest()).isEqualTo(2);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(KeyRing.FILE)))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(KeyRing.FILE + ".lock"))))
                .as("the lock file, empty but as private as the keyring").isEqualTo("rw-------");
        byte[] wrapped = DataKey.generate().wrap(ring.kek(2), ROW);
        assertThat(other.kek(2)).as("read from the file when first asked for").isNotNull();
        assertThat(DataKey.unwrap(other.kek(2), ROW, wrapped)).isNotNull();
        assertThat(DataKey.unwrap(other.kek(1), ROW, wrapped)).as("each KEK is its own key").isNull();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(name -> name.endsWith(".tmp"));
        }
    }

    @Test
    void retiring_removes_the_older_keks_from_the_file_and_retires_the_derived_one_for_good() throws Exception {
        KeyRing ring = KeyRing.of(dir, instanceKey());
        int first = ring.add();
        String before = Files.readString(dir.resolve(KeyRing.FILE));
        int second = ring.add();

        assertThat(ring.retireAllBut(second)).containsExactly(KeyRing.DERIVED, first);

        KeyRing reopened = KeyRing.of(dir, instanceKey());
        assertThat(reopened.ids()).containsExactly(second);
        assertThat(reopened.kek(KeyRing.DERIVED)).as("KEK 0 neither wraps nor unwraps once retired").isNull();
        assertThat(reopened.kek(first)).isNull();
        String firstLine = before.lines().filter(l -> l.startsWith("kek " + first + " ")).findFirst().orElseThrow();
        assertThat(Files.readString(dir.resolve(KeyRing.FILE))).doesNotContain(firstLine.substring(("kek " + first + " ").length()));
        assertThat(ring.retireAllBut(second)).as("nothing left to retire").isEmpty();
        assertThat(reopened.add()).as("ids are never reused").isEqualTo(second + 1);
    }

    @Test
    void a_file_that_is_not_a_keyring_is_refused() throws Exception {
        Files.writeString(dir.resolve(KeyRing.FILE), "lethe-keyring 1\nkek 1 not-base64!\n");
        assertThatThrownBy(() -> KeyRing.of(dir, instanceKey())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("malformed KEK line");
        Files.writeString(dir.resolve(KeyRing.FILE), "something else\n");
        assertThatThrownBy(() -> KeyRing.of(dir, instanceKey())).hasMessageContaining("not a Lethe keyring");
    }

    @Test
    void the_kek_to_keep_must_be_in_the_ring() {
        KeyRing ring = KeyRing.of(dir, instanceKey());
        assertThatThrownBy(() -> ring.retireAllBut(7)).isInstanceOf(IllegalStateException.class).hasMessageContaining("KEK 7");
        assertThat(ring.ids()).containsExactly(KeyRing.DERIVED);
    }
}
