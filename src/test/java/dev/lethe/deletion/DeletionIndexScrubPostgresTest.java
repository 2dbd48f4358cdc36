package dev.lethe.deletion;

import dev.lethe.crypto.Secrets;
import dev.lethe.identity.LinkKind;
import dev.lethe.task.Task;
import dev.lethe.task.TaskStatus;
import dev.lethe.testing.RecordingTaskRun;
import dev.lethe.testing.Seed;
import dev.lethe.testing.StoreFixture;
import dev.lethe.testing.TaskRows;
import dev.lethe.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL only, at a size where a plain VACUUM skips its index pass (since PostgreSQL 14, when
 * fewer than 2% of a table's pages hold dead items): after a deletion's SUCCESS, no B-tree index
 * item of the events partitions, profiles, identity links or archive subjects holds the person's ids.
 */
class DeletionIndexScrubPostgresTest {

    /** 2026-01-01, -02-01, -03-01, -04-01 UTC. */
    private static final long[] MONTHS = {1_767_225_600_000L, 1_769_904_000_000L, 1_772_323_200_000L, 1_775_001_600_000L};
    private static final int EVENTS_PER_MONTH = 50_000;

    @TempDir
    Path tmp;
    TestServer server;
    long project;
    String person;
    String alias;
    List<String> insertIds = new ArrayList<>();

    @BeforeEach
    void start() {
        server = TestServer.start(StoreFixture.postgres(), tmp);
        project = server.createProject("acme").project().id();
        // why: random ids cannot occur in the indexes by chance, so finding them means residue.
        person = "erase-me-" + Secrets.random(20);
        alias = "alias-" + Secrets.random(20);
        server.app.db().withConnection(tx -> {
            try (Statement s = tx.createStatement()) {
                s.execute("CREATE EXTENSION IF NOT EXISTS pageinspect");
            }
            for (int m = 0; m < 3; m++) {
                try (PreparedStatement ps = tx.prepareStatement("SELECT lethe_ensure_events_partition(?, ?, ?)")) {
                    ps.setString(1, String.format("events_y2026m%02d", m + 1));
                    ps.setLong(2, MONTHS[m]);
                    ps.setLong(3, MONTHS[m + 1]);
                    ps.executeQuery().close();
                }
                // why: one statement per month keeps the load to a second or two.
                try (PreparedStatement ps = tx.prepareStatement("INSERT INTO events (project_id, distinct_id, event, time_ms, "
                        + "insert_id, source, properties, received_at) SELECT ?, 'user-' || (g % 5000), 'Page View', ? + g * 1000, "
                        + "md5(g::text || ?), 'track', jsonb_build_object('page', '/p/' || g), 0 FROM generate_series(1, ?) g")) {
                    ps.setLong(1, project);
                    ps.setLong(2, MONTHS[m]);
                    ps.setString(3, "m" + m);
                    ps.setInt(4, EVENTS_PER_MONTH);
                    ps.executeUpdate();
                }
            }
            for (int i = 0; i < 25; i++) {
                String insertId = "ins-" + Secrets.random(20);
                insertIds.add(insertId);
                try (PreparedStatement ps = tx.prepareStatement("INSERT INTO events (project_id, distinct_id, event, time_ms, "
                        + "insert_id, source, properties, received_at) VALUES (?, ?, 'Signed In', ?, ?, 'track', '{}'::jsonb, 0)")) {
                    ps.setLong(1, project);
                    ps.setString(2, i % 5 == 0 ? alias : person);
                    ps.setLong(3, MONTHS[i % 3] + 100_000_000L + i);
                    ps.setString(4, insertId);
                    ps.executeUpdate();
                }
            }
            return null;
        });
        new Seed(server.app, project).profile(person, "$name", "Erase Me").link(person, alias, LinkKind.ALIAS);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void no_index_item_holds_the_person_after_the_deletion() {
        List<String> ids = new ArrayList<>(List.of(person, alias));
        ids.addAll(insertIds);
        assertThat(indexItemsHolding(List.of(person, alias, insertIds.get(0))))
                .as("the person is indexed before the deletion").containsExactlyInAnyOrder(person, alias, insertIds.get(0));

        Task deletion = TaskRows.deletion(project, person).insert(server.app);
        server.app.deletionExecutor().run(deletion, new RecordingTaskRun(server.app.db(), deletion, server.clock));

        assertThat(TaskRows.load(server.app.db(), deletion.id()).status()).isEqualTo(TaskStatus.SUCCESS);
        List<String> probes = new ArrayList<>(ids);
        probes.add("user-4999");
        assertThat(indexItemsHolding(probes)).as("ids of the person, or of others, in index items")
                .containsExactly("user-4999");
    }

    /**
     * Which of the texts occur in an item, live or dead, on any page of any B-tree index of the tables
     * that hold a person (the events partitions, profiles, identity links, archive subjects).
     */
    private List<String> indexItemsHolding(List<String> texts) {
        return server.app.db().withConnection(tx -> {
            try (PreparedStatement ps = tx.prepareStatement(
                    "WITH items AS MATERIALIZED (SELECT replace(item.data, ' ', '') AS data FROM pg_index x "
                            + "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
                            + "JOIN pg_am a ON a.oid = i.relam, "
                            + "LATERAL generate_series(1, pg_relation_size(i.oid) / current_setting('block_size')::int - 1) AS blk, "
                            + "LATERAL bt_page_items(i.oid::regclass::text, blk::int) AS item "
                            + "WHERE a.amname = 'btree' AND (t.relname LIKE 'events\\_%' "
                            + "OR t.relname IN ('profiles', 'identity_links', 'archive_subjects'))) "
                            + "SELECT DISTINCT n.text FROM unnest(?::text[], ?::text[]) AS n(text, hex) "
                            + "WHERE EXISTS (SELECT 1 FROM items WHERE strpos(items.data, n.hex) > 0)")) {
                ps.setArray(1, ps.getConnection().createArrayOf("text", texts.toArray()));
                ps.setArray(2, ps.getConnection().createArrayOf("text",
                        texts.stream().map(t -> HexFormat.of().formatHex(t.getBytes(StandardCharsets.UTF_8))).toArray()));
                List<String> found = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.add(rs.getString(1));
                    }
                }
                return found;
            }
        });
    }
}
