package dev.lethe.deletion;

import dev.lethe.crypto.Secrets;
import dev.lethe.identity.LinkKind;
import dev.lethe.task.Task;
import dev.lethe.task.TaskStatus;
import dev.lethe.testing.EventBuilder;
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
 * fewer than 2% of a table's pages hold dead items): no B-tree index of the store holds an id or an
 * {@code $insert_id} in clear, only keyed hashes; after a deletion's SUCCESS and its plain VACUUM, the
 * dead index items left behind hold the person's keyed hashes only, and no heap tuple, live or dead,
 * holds the person's ids or insert ids.
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
        // why: random ids cannot occur in the pages by chance, so finding them means residue.
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
                // why: one statement per month keeps the load to a second or two. The bystanders' keys are
                // stand-ins of the right width (Lethe never looks them up); their ids are what the probes look for.
                try (PreparedStatement ps = tx.prepareStatement("INSERT INTO events (project_id, person_key, event_key, distinct_id, "
                        + "event, time_ms, insert_id, source, properties, received_at) SELECT ?, "
                        + "substring(sha256(convert_to('user-' || (g % 5000), 'UTF8')) FROM 1 FOR 16), "
                        + "substring(sha256(convert_to(g::text || ?, 'UTF8')) FROM 1 FOR 16), 'user-' || (g % 5000), "
                        + "'Page View', ? + g * 1000, md5(g::text || ?), 'track', jsonb_build_object('page', '/p/' || g), 0 "
                        + "FROM generate_series(1, ?) g")) {
                    ps.setLong(1, project);
                    ps.setString(2, "m" + m);
                    ps.setLong(3, MONTHS[m]);
                    ps.setString(4, "m" + m);
                    ps.setInt(5, EVENTS_PER_MONTH);
                    ps.executeUpdate();
                }
            }
            return null;
        });
        List<EventBuilder> mine = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            String insertId = "ins-" + Secrets.random(20);
            insertIds.add(insertId);
            mine.add(EventBuilder.event(i % 5 == 0 ? alias : person).named("Signed In").at(MONTHS[i % 3] + 100_000_000L + i)
                    .insertId(insertId));
        }
        new Seed(server.app, project).events(mine.toArray(EventBuilder[]::new))
                .profile(person, "$name", "Erase Me").link(person, alias, LinkKind.ALIAS);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void no_index_of_the_store_holds_an_id_in_clear() {
        List<String> probes = new ArrayList<>(List.of(person, alias, "user-4999"));
        probes.addAll(insertIds);

        assertThat(indexPagesHolding(probes, List.of())).as("ids in clear in index pages").isEmpty();
        assertThat(indexPagesHolding(List.of(), List.of(personKey(person), personKey(alias))))
                .as("the probe reads the index items: the keyed hashes are there").hasSize(2);
        assertThat(heapTuplesHolding(List.of(person, alias, "user-4999"), false))
                .as("the probe reads the rows: the bystanders' were written in clear by this test; Lethe sealed the person's")
                .containsExactly("user-4999");
    }

    @Test
    void after_the_deletion_no_index_item_or_heap_tuple_holds_the_person() {
        // why: sealed, as the engine stores them; ids in clear in an old version of the task row could outlive the
        // VACUUM of tasks whenever an autovacuum of this big store held a snapshot (seen once under the suite's load)
        Task deletion = TaskRows.deletion(project, person).sealingIds().insert(server.app);
        assertThat(deletion.personIds()).containsExactlyInAnyOrder(person, alias);
        server.app.deletionExecutor().run(deletion, new RecordingTaskRun(server.app.db(), deletion, server.clock));
        // why: the engine's move to SUCCESS hashes the resolved ids; RecordingTaskRun does not, and the
        // periodic pass catches such a task (then vacuums tasks, as the engine's path relies on the scrub to)
        server.app.idRetention().applyOnce();

        assertThat(TaskRows.load(server.app.db(), deletion.id()).status()).isEqualTo(TaskStatus.SUCCESS);
        List<String> ids = new ArrayList<>(List.of(person, alias));
        ids.addAll(insertIds);
        List<String> probes = new ArrayList<>(ids);
        probes.add("user-4999");
        assertThat(indexPagesHolding(probes, List.of())).as("ids in clear in index pages: items live or dead, free space").isEmpty();
        assertThat(indexPagesHolding(List.of(), List.of(personKey(person))))
                .as("the VACUUM skipped the index pass of events_dedupe (this store is large enough for the bypass),"
                        + " leaving dead items that hold the keyed hash only").hasSize(1);
        // why: the task row keeps the requested id in clear for the id retention (docs/erasure.md), so tasks is left out
        // for it; the linked id and the insert ids must be nowhere, tasks included.
        assertThat(heapTuplesHolding(List.of(person), true)).as("the requested id in heap tuples").isEmpty();
        List<String> elsewhere = new ArrayList<>(insertIds);
        elsewhere.add(alias);
        assertThat(heapTuplesHolding(elsewhere, false)).as("linked ids and insert ids in heap tuples").isEmpty();
        assertThat(heapTuplesHolding(List.of("user-4999"), false)).as("others' rows are untouched").containsExactly("user-4999");
    }

    private String personKey(String id) {
        return HexFormat.of().formatHex(server.app.db().keys().person(project, id));
    }

    /**
     * Which of the texts (as UTF-8) and hex strings occur anywhere on a page of a B-tree index of the store's schema:
     * in an item, live or dead, or in the page's free space. Each raw page is searched whole, as hex: one search per
     * page and needle, where reading the pages item by item cost one per item (1.7 s a probe, against ~0.3 s).
     */
    private List<String> indexPagesHolding(List<String> texts, List<String> hexes) {
        List<String> needles = new ArrayList<>(texts);
        needles.addAll(hexes);
        List<String> asHex = new ArrayList<>(texts.stream().map(t -> HexFormat.of().formatHex(t.getBytes(StandardCharsets.UTF_8))).toList());
        asHex.addAll(hexes);
        return server.app.db().withConnection(tx -> {
            try (PreparedStatement ps = tx.prepareStatement(
                    "WITH pages AS MATERIALIZED (SELECT encode(get_raw_page(i.oid::regclass::text, blk::int), 'hex') AS data "
                            + "FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_am a ON a.oid = i.relam, "
                            + "LATERAL generate_series(1, pg_relation_size(i.oid) / current_setting('block_size')::int - 1) AS blk "
                            + "WHERE a.amname = 'btree' AND i.relnamespace = current_schema()::regnamespace) "
                            + "SELECT DISTINCT n.text FROM unnest(?::text[], ?::text[]) AS n(text, hex) "
                            + "WHERE EXISTS (SELECT 1 FROM pages WHERE strpos(pages.data, n.hex) > 0)")) {
                ps.setArray(1, ps.getConnection().createArrayOf("text", needles.toArray()));
                ps.setArray(2, ps.getConnection().createArrayOf("text", asHex.toArray()));
                return strings(ps);
            }
        });
    }

    /** Which of the texts occur in a heap tuple, live or dead, of any table of the store's schema (but tasks, if asked). */
    private List<String> heapTuplesHolding(List<String> texts, boolean exceptTasks) {
        return server.app.db().withConnection(tx -> {
            try (PreparedStatement ps = tx.prepareStatement(
                    "WITH tuples AS MATERIALIZED (SELECT item.t_data AS data FROM pg_class t, "
                            + "LATERAL generate_series(0, pg_relation_size(t.oid) / current_setting('block_size')::int - 1) AS blk, "
                            + "LATERAL heap_page_items(get_raw_page(t.oid::regclass::text, blk::int)) AS item "
                            + "WHERE t.relkind = 'r' AND t.relnamespace = current_schema()::regnamespace AND item.t_data IS NOT NULL "
                            + "AND NOT (? AND t.relname = 'tasks')) "
                            + "SELECT DISTINCT n.text FROM unnest(?::text[]) AS n(text) "
                            + "WHERE EXISTS (SELECT 1 FROM tuples WHERE position(convert_to(n.text, 'UTF8') IN tuples.data) > 0)")) {
                ps.setBoolean(1, exceptTasks);
                ps.setArray(2, ps.getConnection().createArrayOf("text", texts.toArray()));
                return strings(ps);
            }
        });
    }

    private static List<String> strings(PreparedStatement ps) throws java.sql.SQLException {
        List<String> found = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                found.add(rs.getString(1));
            }
        }
        return found;
    }
}
