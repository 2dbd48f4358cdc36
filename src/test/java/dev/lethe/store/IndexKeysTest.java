package dev.lethe.store;

import dev.lethe.crypto.InstanceKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The index keys are keyed: a copy of the store's files without {@code lethe.key} cannot be checked
 * against a list of candidate ids, because another key gives other hashes.
 */
class IndexKeysTest {

    @TempDir
    Path tmp;

    @Test
    void the_same_id_hashes_differently_under_another_instance_key() {
        IndexKeys one = new IndexKeys(InstanceKey.loadOrCreate(tmp.resolve("one")));
        IndexKeys other = new IndexKeys(InstanceKey.loadOrCreate(tmp.resolve("other")));

        assertThat(one.person(1, "alice@example.com")).hasSize(16).isNotEqualTo(other.person(1, "alice@example.com"));
        assertThat(one.event(1, "Signed In", "i-1")).isNotEqualTo(other.event(1, "Signed In", "i-1"));
        assertThat(one.request(1, "digest")).isNotEqualTo(other.request(1, "digest"));
    }

    @Test
    void the_same_key_file_gives_the_same_hashes() {
        IndexKeys first = new IndexKeys(InstanceKey.loadOrCreate(tmp.resolve("data")));
        IndexKeys again = new IndexKeys(InstanceKey.loadOrCreate(tmp.resolve("data")));

        assertThat(first.person(1, "alice@example.com")).isEqualTo(again.person(1, "alice@example.com"));
    }

    @Test
    void a_store_refuses_to_open_with_another_instance_key() throws Exception {
        StoreConfig store = StoreConfig.sqlite(tmp.resolve("data"));
        try (Database db = Database.open(store)) {
            db.kind();
        }
        java.nio.file.Files.delete(store.dataDir().resolve("lethe.key"));

        // why: with another key every lookup of a person would find nothing, and a deletion verify an empty result
        assertThatThrownBy(() -> Database.open(store)).hasMessageContaining("another instance key");
    }

    @Test
    void hashes_are_scoped_by_project_and_by_what_they_stand_for() {
        IndexKeys keys = new IndexKeys(InstanceKey.loadOrCreate(tmp.resolve("data")));

        assertThat(keys.person(1, "alice")).isNotEqualTo(keys.person(2, "alice"));
        // why: the parts are length-prefixed, so moving a boundary between them changes the hash
        assertThat(keys.event(1, "a", "bc")).isNotEqualTo(keys.event(1, "ab", "c"));
        assertThat(keys.person(1, "x")).isNotEqualTo(keys.event(1, "x", ""));
    }
}
