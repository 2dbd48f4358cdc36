package dev.lethe.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.json.Json;
import dev.lethe.profile.ProfileStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

abstract class ProfileStoreContract extends StoreContract {

    static final long P = 1;
    static final long OTHER_PROJECT = 2;
    static final long NOW = 1_796_000_000_000L;

    ProfileStore profiles;

    @BeforeEach
    void stores() {
        profiles = new ProfileStore(db);
    }

    private void set(long project, String id, String key, String value) {
        profiles.update(project, id, NOW, p -> p.put(key, value));
    }

    @Test
    void update_creates_a_profile_then_changes_the_current_one() {
        set(P, "alice", "$name", "Alice");
        AtomicReference<ObjectNode> seen = new AtomicReference<>();
        profiles.update(P, "alice", NOW + 1, p -> {
            seen.set(p.deepCopy());
            return p.put("plan", "pro");
        });

        assertThat(seen.get()).isEqualTo(Json.readTrusted("{\"$name\":\"Alice\"}"));
        assertThat(profiles.get(P, "alice")).contains((ObjectNode) Json.readTrusted("{\"$name\":\"Alice\",\"plan\":\"pro\"}"));
        assertThat(profiles.get(OTHER_PROJECT, "alice")).isEmpty();
    }

    @Test
    void update_keeps_nested_and_unicode_values_as_documents() {
        ObjectNode doc = (ObjectNode) Json.readTrusted(
                "{\"name\":\"Zoë 😀\",\"n\":1.5,\"big\":12345678901234,\"tags\":[\"a\",\"b\"],\"nested\":{\"x\":null,\"t\":true}}");
        profiles.update(P, "alice", NOW, p -> doc.deepCopy());

        assertThat(profiles.get(P, "alice")).contains(doc);
    }

    @Test
    void update_that_returns_null_deletes_the_profile() {
        set(P, "alice", "$name", "Alice");
        profiles.update(P, "alice", NOW, p -> null);

        assertThat(profiles.get(P, "alice")).isEmpty();
    }

    @Test
    void delete_removes_only_the_given_ids_of_the_project() {
        set(P, "alice", "k", "a");
        set(P, "bob", "k", "b");
        set(P, "carol", "k", "c");
        set(OTHER_PROJECT, "alice", "k", "other");

        int deleted = db.inTransaction(c -> profiles.delete(c, P, List.of("alice", "bob", "nobody")));

        assertThat(deleted).isEqualTo(2);
        assertThat(profiles.get(P, "alice")).isEmpty();
        assertThat(profiles.get(P, "bob")).isEmpty();
        assertThat(profiles.get(P, "carol")).isPresent();
        assertThat(profiles.get(OTHER_PROJECT, "alice")).isPresent();
        long left = db.withConnection(c -> profiles.count(c, P, List.of("alice", "bob", "carol")));
        assertThat(left).isEqualTo(1);
    }

    @Test
    void forEach_yields_the_profiles_of_the_ids_that_have_one_in_person_key_order() {
        set(P, "carol", "k", "c");
        set(P, "alice", "k", "a");
        set(P, "dave", "k", "d");
        set(OTHER_PROJECT, "bob", "k", "other");

        Map<String, JsonNode> seen = new LinkedHashMap<>();
        profiles.forEach(P, List.of("carol", "alice", "bob"), seen::put);

        // why: the primary key orders ids by their keyed hash, not by the ids themselves
        List<String> byKey = new java.util.ArrayList<>(List.of("alice", "carol"));
        byKey.sort((x, y) -> IndexKeys.compare(db.keys().person(P, x), db.keys().person(P, y)));
        assertThat(seen.keySet()).containsExactlyElementsOf(byKey);
        assertThat(seen.get("alice")).isEqualTo(Json.readTrusted("{\"k\":\"a\"}"));
    }
}
