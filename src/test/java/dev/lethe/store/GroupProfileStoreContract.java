package dev.lethe.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.group.GroupProfile;
import dev.lethe.group.GroupProfileStore;
import dev.lethe.json.Json;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

abstract class GroupProfileStoreContract extends StoreContract {

    static final long P = 1;
    static final long OTHER_PROJECT = 2;
    static final long NOW = 1_796_000_000_000L;

    GroupProfileStore groups;

    @BeforeEach
    void stores() {
        groups = new GroupProfileStore(db);
    }

    private void set(long project, String key, String id, String name, String value) {
        groups.update(project, key, id, NOW, p -> p.put(name, value));
    }

    @Test
    void a_group_is_named_by_its_key_and_id_within_its_project() {
        set(P, "Company", "Acme", "plan", "pro");
        set(P, "Team", "Acme", "plan", "free");
        set(OTHER_PROJECT, "Company", "Acme", "plan", "other");
        groups.update(P, "Company", "Acme", NOW + 1, p -> p.put("size", "50"));

        assertThat(groups.get(P, "Company", "Acme")).contains((ObjectNode) Json.readTrusted("{\"plan\":\"pro\",\"size\":\"50\"}"));
        assertThat(groups.get(P, "Team", "Acme")).contains((ObjectNode) Json.readTrusted("{\"plan\":\"free\"}"));
        assertThat(groups.get(OTHER_PROJECT, "Company", "Acme")).contains((ObjectNode) Json.readTrusted("{\"plan\":\"other\"}"));
        assertThat(groups.get(P, "Company", "Wayne")).isEmpty();
    }

    @Test
    void an_update_that_returns_null_deletes_only_that_group() {
        set(P, "Company", "Acme", "plan", "pro");
        set(P, "Company", "Wayne", "plan", "pro");
        groups.update(P, "Company", "Acme", NOW, p -> null);

        assertThat(groups.get(P, "Company", "Acme")).isEmpty();
        assertThat(groups.get(P, "Company", "Wayne")).isPresent();
    }

    @Test
    void pages_of_a_key_come_in_group_id_order_and_end_empty() {
        for (String id : List.of("d", "b", "a", "c", "e")) {
            set(P, "Company", id, "n", id);
        }
        set(P, "Team", "aa", "n", "team");
        set(OTHER_PROJECT, "Company", "bb", "n", "other");

        List<GroupProfile> first = groups.page(P, "Company", null, 2);
        List<GroupProfile> second = groups.page(P, "Company", first.get(1).groupId(), 2);
        List<GroupProfile> third = groups.page(P, "Company", second.get(1).groupId(), 2);

        assertThat(first).extracting(GroupProfile::groupId).containsExactly("a", "b");
        assertThat(second).extracting(GroupProfile::groupId).containsExactly("c", "d");
        assertThat(third).extracting(GroupProfile::groupId).containsExactly("e");
        assertThat(groups.page(P, "Company", "e", 2)).isEmpty();
        assertThat(first.get(0).properties()).isEqualTo(Json.readTrusted("{\"n\":\"a\"}"));
        assertThat(first.get(0).updatedAt()).isEqualTo(NOW);
        assertThat(groups.keys(P)).containsExactly("Company", "Team");
    }
}
