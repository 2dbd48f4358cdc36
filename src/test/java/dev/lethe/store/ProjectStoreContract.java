package dev.lethe.store;

import dev.lethe.crypto.InstanceKey;
import dev.lethe.project.Project;
import dev.lethe.project.ProjectStore;
import dev.lethe.project.Region;
import dev.lethe.testing.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

abstract class ProjectStoreContract extends StoreContract {

    MutableClock clock = MutableClock.at("2026-11-28T09:15:02.118Z");
    ProjectStore projects;

    @BeforeEach
    void stores() {
        projects = new ProjectStore(db, InstanceKey.loadOrCreate(tmp.resolve("key")), clock);
    }

    @Test
    void a_created_project_is_found_by_id_token_and_api_secret() {
        ProjectStore.Created created = projects.create("Shop", Region.EU);
        Project p = created.project();

        assertThat(p.name()).isEqualTo("Shop");
        assertThat(p.region()).isEqualTo(Region.EU);
        assertThat(p.createdAt()).isEqualTo(clock.millis());
        assertThat(projects.byId(p.id())).contains(p);
        assertThat(projects.byToken(p.token())).contains(p);
        assertThat(projects.byApiSecret(created.apiSecret())).contains(p);
    }

    @Test
    void unknown_token_or_secret_finds_nothing_and_secret_is_not_a_token() {
        ProjectStore.Created created = projects.create("Shop", Region.US);

        assertThat(projects.byToken("no-such-token")).isEmpty();
        assertThat(projects.byApiSecret("no-such-secret")).isEmpty();
        assertThat(projects.byToken(created.apiSecret())).isEmpty();
        assertThat(projects.byApiSecret(created.project().token())).isEmpty();
        assertThat(projects.byId(created.project().id() + 1000)).isEmpty();
    }

    @Test
    void two_projects_get_distinct_ids_tokens_and_secrets() {
        ProjectStore.Created a = projects.create("A", Region.US);
        ProjectStore.Created b = projects.create("B", Region.US);

        assertThat(a.project().id()).isNotEqualTo(b.project().id());
        assertThat(a.project().token()).isNotEqualTo(b.project().token());
        assertThat(a.apiSecret()).isNotEqualTo(b.apiSecret());
        assertThat(projects.byApiSecret(b.apiSecret()).map(Project::name)).contains("B");
    }

    @Test
    void api_secret_unseals_to_the_one_shown_at_creation_and_is_not_stored_in_plain() {
        ProjectStore.Created created = projects.create("Shop", Region.US);

        assertThat(projects.apiSecret(created.project().id())).isEqualTo(created.apiSecret());

        List<String> stored = db.withConnection(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT api_secret_hash, api_secret_sealed FROM projects");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                    out.add(rs.getString(2));
                }
            }
            return out;
        });
        assertThat(stored).hasSize(2).noneMatch(v -> v.contains(created.apiSecret()));
    }

    @Test
    void api_secret_of_an_unknown_project_is_refused() {
        assertThatThrownBy(() -> projects.apiSecret(999)).isInstanceOf(IllegalArgumentException.class);
    }
}
