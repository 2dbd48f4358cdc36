package dev.lethe.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.crypto.Secrets;
import dev.lethe.event.EventRecord;
import dev.lethe.event.EventStore;
import dev.lethe.identity.IdentityStore;
import dev.lethe.identity.PersonResolver;
import dev.lethe.profile.ProfileStore;
import dev.lethe.retrieval.ArchiveStore;
import dev.lethe.task.NewTask;
import dev.lethe.task.TaskIdHashes;
import dev.lethe.task.TaskKind;
import dev.lethe.task.TaskStore;
import dev.lethe.crypto.InstanceKey;
import dev.lethe.testing.StoreFixture;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * V013 converts a store written at V012 in place: the rows a V012 Lethe wrote (ids as index keys,
 * an unkeyed request key) read back the same through every per-person path once the store opens,
 * and the dedupe and the repeated-request check still recognise them.
 */
abstract class HashedKeysMigrationContract {

    static final long P = 1;
    /** 2026-10-15 and 2026-11-15 UTC: two months, so on PostgreSQL two partitions are filled. */
    static final long OCT = 1_792_022_400_000L;
    static final long NOV = 1_794_700_800_000L;

    abstract StoreFixture store();

    /** Empties the store's database, so Flyway starts from nothing. */
    abstract void emptyDatabase(StoreConfig config) throws Exception;

    /** The V012 schema's placeholder for a JSON document bound as text. */
    abstract String json();

    @TempDir
    Path tmp;
    StoreConfig config;
    Database db;
    String alice;
    String phone;
    String bystander;
    String digest;

    @BeforeEach
    void storeAtV012WithData() throws Exception {
        config = store().newStore(tmp);
        emptyDatabase(config);
        Flyway.configure().dataSource(url(config), config.dbUser(), config.dbPassword())
                .locations("classpath:db/migration/" + (config.kind() == StoreKind.SQLITE ? "sqlite" : "postgresql"))
                .target("12").load().migrate();
        // why: random ids, so a match can only come from the rows written here
        alice = "alice-" + Secrets.random(12);
        phone = "$device:" + Secrets.random(12);
        bystander = "bob-" + Secrets.random(12);
        digest = new NewTask(P, TaskKind.DELETION, "GDPR", null, false, "dpo@example.com", List.of(alice)).requestDigest();
        try (Connection c = DriverManager.getConnection(url(config), config.dbUser(), config.dbPassword())) {
            if (config.kind() == StoreKind.POSTGRES) {
                try (PreparedStatement ps = c.prepareStatement("SELECT lethe_ensure_events_partition('events_y2026m10', ?, ?)")) {
                    ps.setLong(1, 1_790_812_800_000L);
                    ps.setLong(2, 1_793_491_200_000L);
                    ps.executeQuery().close();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO events (project_id, distinct_id, event, time_ms, insert_id, "
                    + "source, properties, received_at) VALUES (?, ?, ?, ?, ?, 'track', " + json() + ", 0)")) {
                Object[][] rows = {{alice, "Signed In", OCT, "i-1"}, {alice, "Page View", NOV, "i-2"}, {phone, "App Open", OCT + 1, "i-3"},
                        {bystander, "Page View", NOV + 1, "i-4"}};
                for (Object[] row : rows) {
                    ps.setLong(1, P);
                    ps.setString(2, (String) row[0]);
                    ps.setString(3, (String) row[1]);
                    ps.setLong(4, (Long) row[2]);
                    ps.setString(5, (String) row[3]);
                    ps.setString(6, "{\"n\":\"" + row[3] + "\"}");
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO profiles (project_id, distinct_id, properties, updated_at) "
                    + "VALUES (?, ?, " + json() + ", 0)")) {
                for (String id : List.of(alice, bystander)) {
                    ps.setLong(1, P);
                    ps.setString(2, id);
                    ps.setString(3, "{\"$name\":\"" + id + "\"}");
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO identity_links (project_id, id_a, id_b, kind, created_at, role) "
                    + "VALUES (?, ?, ?, 'DEVICE', 0, ?)")) {
                for (String[] row : new String[][] {{phone, alice, "MEMBER"}, {alice, phone, "OWNER"}}) {
                    ps.setLong(1, P);
                    ps.setString(2, row[0]);
                    ps.setString(3, row[1]);
                    ps.setString(4, row[2]);
                    ps.executeUpdate();
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO tasks (tracking_id, project_id, kind, status, compliance_type, requesting_user, distinct_ids, "
                        + "request_key, date_requested, updated_at) VALUES ('r-1', 1, 'RETRIEVAL', 'SUCCESS', 'GDPR', 'dpo', '[]', 'x', 0, 0)");
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO tasks (tracking_id, project_id, kind, status, compliance_type, "
                    + "requesting_user, distinct_ids, request_key, date_requested, updated_at) "
                    + "VALUES ('d-1', 1, 'DELETION', 'PENDING', 'GDPR', 'dpo@example.com', ?, ?, 0, 0)")) {
                ps.setString(1, "[\"" + alice + "\"]");
                ps.setString(2, digest);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO archive_subjects (task_id, project_id, distinct_id) "
                    + "SELECT id, 1, ? FROM tasks WHERE tracking_id = 'r-1'")) {
                ps.setString(1, alice);
                ps.executeUpdate();
            }
        }
        db = Database.open(config);
    }

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
        }
    }

    private static String url(StoreConfig config) {
        return config.kind() == StoreKind.SQLITE ? "jdbc:sqlite:" + config.sqliteFile().toAbsolutePath() : config.jdbcUrl();
    }

    @Test
    void a_person_reads_back_the_same_after_the_migration() {
        EventStore events = new EventStore(db);
        PersonResolver resolver = new PersonResolver(db, new IdentityStore(db));

        assertThat(resolver.resolve(P, List.of(alice))).containsExactlyInAnyOrder(alice, phone);
        List<String> seen = new ArrayList<>();
        events.forEach(P, List.of(alice, phone), Long.MIN_VALUE, e -> seen.add(e.distinctId() + " " + e.event() + " " + e.insertId()
                + " " + e.timeMs() + " " + e.propertiesJson().replace(" ", "")));
        assertThat(seen).containsExactlyInAnyOrder(alice + " Signed In i-1 " + OCT + " {\"n\":\"i-1\"}",
                alice + " Page View i-2 " + NOV + " {\"n\":\"i-2\"}", phone + " App Open i-3 " + (OCT + 1) + " {\"n\":\"i-3\"}");
        assertThat(events.count(P, List.of(bystander))).isEqualTo(1);
        assertThat(events.timeSpan(P, List.of(alice))).containsExactly(OCT, NOV);

        ProfileStore profiles = new ProfileStore(db);
        assertThat(profiles.get(P, alice)).map(p -> p.get("$name").asText()).contains(alice);
        assertThat(profiles.scan(P, null, 10)).extracting(ProfileStore.Row::distinctId).containsExactlyInAnyOrder(alice, bystander);
    }

    @Test
    void the_dedupe_recognises_an_event_stored_before_the_migration() {
        EventStore events = new EventStore(db);

        int added = events.insert(P, List.of(new EventRecord(alice, "Signed In", OCT, "i-1", "track", "{}", 0),
                new EventRecord(alice, "Signed In", OCT, "i-5", "track", "{}", 0)));

        assertThat(added).isEqualTo(1);
        assertThat(events.count(P, List.of(alice))).isEqualTo(3);
    }

    @Test
    void links_archives_and_a_queued_request_are_found_by_their_new_keys() {
        List<ArchiveStore.Archive> archives = db.inTransaction(tx -> new ArchiveStore(new TaskIdHashes(
                InstanceKey.loadOrCreate(config.dataDir()))).holding(tx, P, List.of(alice)));
        assertThat(archives).extracting(ArchiveStore.Archive::trackingId).containsExactly("r-1");

        Optional<?> queued = new TaskStore(db, Clock.systemUTC())
                .findActive(new NewTask(P, TaskKind.DELETION, "GDPR", null, false, "dpo@example.com", List.of(alice)));
        assertThat(queued).isPresent();

        int removed = db.inTransaction(tx -> new IdentityStore(db).deleteAll(tx, P, List.of(phone)));
        assertThat(removed).isEqualTo(2);
    }

    @Test
    void a_profile_written_after_the_migration_replaces_the_one_written_before() {
        ProfileStore profiles = new ProfileStore(db);

        profiles.update(P, alice, 1, p -> {
            p.put("plan", "pro");
            return p;
        });

        ObjectNode now = profiles.get(P, alice).orElseThrow();
        assertThat(now.get("$name").asText()).isEqualTo(alice);
        assertThat(now.get("plan").asText()).isEqualTo("pro");
        assertThat(profiles.count(P)).isEqualTo(2);
    }

    /** For the SQLite subclass: removes the template's migrated file. */
    static void deleteFiles(Path dir) throws Exception {
        try (var all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).filter(p -> p.getFileName().toString().startsWith("lethe.db")).toList()) {
                Files.delete(p);
            }
        }
    }
}
