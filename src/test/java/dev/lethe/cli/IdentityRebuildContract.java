package dev.lethe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.cli.admin.AdminContext;
import dev.lethe.event.EventRecord;
import dev.lethe.event.EventStore;
import dev.lethe.identity.IdentityStore;
import dev.lethe.identity.PersonResolver;
import dev.lethe.json.Json;
import dev.lethe.store.Sealer;
import dev.lethe.store.StoreConfig;
import dev.lethe.testing.StoreFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code lethe admin identity rebuild | show | detach} on a store written with the old link rules:
 * link rows without a role (as every version before V006 wrote them), and the browser SDK's
 * pre-login events that those rules left orphaned (issue #15).
 */
abstract class IdentityRebuildContract {

    abstract StoreFixture store();

    private static final String DEVICE = "6fbe88f6-3c1d-4b8e-a2f7-9d0e1c2b3a4f";
    private static final long T = 1_795_000_000_000L;
    /**
     * The resolution bound the hub test runs against: what happens past the bound does not depend on its size, and a
     * hub past the product's 100,000 ({@link PersonResolver#MAX_IDS}) took the suite 18 s a store to build.
     */
    private static final int HUB_CAP = 2_000;

    @TempDir
    Path tmp;
    StoreConfig config;
    AdminCli cli;
    AdminContext stores;
    long project;

    @BeforeEach
    void setUp() {
        config = store().newStore(tmp);
        cli = new AdminCli(config);
        stores = AdminContext.open(config, Clock.systemUTC());
        project = cli.ok("project", "create", "--name", "Old").get("project_id").asLong();
    }

    @AfterEach
    void closeStore() {
        stores.close();
    }

    @Test
    void rebuild_joins_the_orphaned_pre_login_events_and_reports_what_it_added() {
        String anon = "$device:" + DEVICE;
        storeEvent(anon, "Web Visit", 1, Map.of("$device_id", DEVICE));
        storeEvent("webuser-1", "$identify", 2, Map.of("$device_id", DEVICE, "$user_id", "webuser-1", "$anon_distinct_id", anon));
        storeEvent("webuser-1", "After Login", 3, Map.of("$device_id", DEVICE, "$user_id", "webuser-1"));
        // what the old rules recorded: the bare device id, undirected; an alias; and a link no event justifies
        oldLink(DEVICE, "webuser-1", "DEVICE");
        oldLink("web@example.com", "webuser-1", "ALIAS");
        oldLink("someone-else", "webuser-1", "IDENTIFY");
        assertThat(cli.ok("identity", "show", "--project", Long.toString(project), "webuser-1").get("ids").has(anon)).isFalse();

        JsonNode report = cli.ok("identity", "rebuild", "--project", Long.toString(project));

        assertThat(report.get("events_read").asInt()).isEqualTo(3);
        assertThat(report.get("links_added").asInt()).as(report.toString()).isEqualTo(1);
        assertThat(report.get("links_rederived").asInt()).isEqualTo(1);
        assertThat(report.get("legacy_links_dropped").asInt()).isEqualTo(1);
        JsonNode person = cli.ok("identity", "show", "--project", Long.toString(project), "webuser-1").get("ids");
        assertThat(Json.MAPPER.convertValue(person, Map.class)).containsOnlyKeys("webuser-1", anon, DEVICE, "web@example.com");
        assertThat(person.get(anon).asText()).startsWith("identify (joined) via webuser-1");
        assertThat(resolver().resolve(project, List.of(anon))).as("the device covers only itself now").containsExactly(anon);

        JsonNode again = cli.ok("identity", "rebuild", "--project", Long.toString(project));
        assertThat(again.get("links_added").asInt()).as("a second run changes nothing").isZero();
        assertThat(again.get("links_kept").asInt()).isEqualTo(again.get("links_claimed").asInt());
    }

    @Test
    void rebuild_decides_claims_in_the_order_they_arrived_not_by_the_time_their_sender_gave_them() {
        String anon = "$device:" + DEVICE;
        storeEvent("webuser-1", "$identify", 5, T + 5, Map.of("$anon_distinct_id", anon));
        // refused when it arrived (the device had joined webuser-1), and dated before the user's own claim
        storeEvent("attacker-1", "$identify", 1, T + 10, Map.of("$anon_distinct_id", anon));
        oldLink(anon, "webuser-1", "IDENTIFY");

        JsonNode report = cli.ok("identity", "rebuild", "--project", Long.toString(project));

        assertThat(report.get("links_rederived").asInt()).as(report.toString()).isEqualTo(1);
        assertThat(resolver().resolve(project, List.of("webuser-1"))).containsExactly(anon, "webuser-1");
        assertThat(resolver().resolve(project, List.of("attacker-1"))).containsExactly("attacker-1");
    }

    @Test
    void detach_lets_a_person_caught_in_an_old_hub_be_resolved_and_erased_by_exact_ids() {
        // why: written sealed, as Lethe writes links since V018; rows in clear would be sealed by the next start-up
        // (store/ContentSealing, covered by its own contract), which is not what this test is about.
        stores.db().inTransaction(c -> {
            List<byte[]> keys = new ArrayList<>();
            keys.add(c.keys().person(project, "hub"));
            for (int i = 0; i <= HUB_CAP; i++) {
                keys.add(c.keys().person(project, "h" + i));
            }
            c.sealer().prepare(project, keys);
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO identity_links (project_id, key_a, key_b, id_a, id_b, kind, created_at, sealed) "
                            + "VALUES (?, ?, ?, '', '', 'DEVICE', 0, ?)")) {
                for (int i = 0; i <= HUB_CAP; i++) {
                    for (String[] pair : new String[][] {{"hub", "h" + i}, {"h" + i, "hub"}}) {
                        byte[] a = c.keys().person(project, pair[0]);
                        ps.setLong(1, project);
                        ps.setBytes(2, a);
                        ps.setBytes(3, c.keys().person(project, pair[1]));
                        ps.setBytes(4, c.sealer().seal(project, a, Sealer.Kind.LINK, pair[0], pair[1]));
                        ps.addBatch();
                    }
                    if (i % 5000 == 0) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
            }
            return null;
        });
        oldLink("victim-1", "hub", "DEVICE");
        assertThatThrownBy(() -> resolver().resolve(project, List.of("victim-1"))).hasMessageContaining("more than");

        JsonNode detached = cli.ok("identity", "detach", "--project", Long.toString(project), "victim-1");

        assertThat(detached.get("links_removed").asInt()).isEqualTo(1);
        assertThat(resolver().resolve(project, List.of("victim-1"))).containsExactly("victim-1");
    }

    private PersonResolver resolver() {
        return new PersonResolver(stores.db(), new IdentityStore(stores.db()), HUB_CAP);
    }

    private void storeEvent(String distinctId, String name, int n, Map<String, Object> more) {
        storeEvent(distinctId, name, n, T, more);
    }

    private void storeEvent(String distinctId, String name, int n, long receivedAt, Map<String, Object> more) {
        Map<String, Object> props = new java.util.LinkedHashMap<>(more);
        props.put("distinct_id", distinctId);
        new EventStore(stores.db()).insert(project, List.of(
                new EventRecord(distinctId, name, T + n, "i" + n, "track", Json.write(props), receivedAt)));
    }

    /** A link row as versions before V006 wrote it: both directions, no role column. */
    private void oldLink(String a, String b, String kind) {
        stores.db().inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO identity_links (project_id, key_a, key_b, id_a, id_b, kind, created_at) "
                            + "VALUES (?, ?, ?, ?, ?, ?, 0)")) {
                for (String[] pair : new String[][] {{a, b}, {b, a}}) {
                    ps.setLong(1, project);
                    ps.setBytes(2, c.keys().person(project, pair[0]));
                    ps.setBytes(3, c.keys().person(project, pair[1]));
                    ps.setString(4, pair[0]);
                    ps.setString(5, pair[1]);
                    ps.setString(6, kind);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }
}
