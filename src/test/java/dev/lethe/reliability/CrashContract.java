package dev.lethe.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.app.LetheApp;
import dev.lethe.auth.Role;
import dev.lethe.config.LetheConfig;
import dev.lethe.event.EventRecord;
import dev.lethe.identity.LinkKind;
import dev.lethe.json.Json;
import dev.lethe.project.ProjectStore;
import dev.lethe.project.Region;
import dev.lethe.store.StoreConfig;
import dev.lethe.task.Task;
import dev.lethe.task.TaskStatus;
import dev.lethe.testing.ArchiveContents;
import dev.lethe.testing.RowSnapshot;
import dev.lethe.testing.StoreFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kill -9} of a real {@code lethe serve} process while a task of a person with 10,000
 * events is STARTED, then a restart on the same store: the new process resumes the task once
 * the dead one's lease expires, and the result is as if nothing had happened.
 */
abstract class CrashContract {

    static final int VICTIM_EVENTS = 10_000;
    private static final int DEVICE_EVENTS = 1_000;
    private static final int OTHERS = 200;
    private static final int EVENTS_PER_OTHER = 10;
    private static final String VICTIM = "victim@example.com";
    private static final String VICTIM_DEVICE = "device-7f3a";
    /**
     * A short lease, so the restarted process resumes soon after the kill; small deletion batches,
     * because a worker extends its lease after each batch: a batch slower than the lease (on a busy
     * machine) would let the process's other worker take the task over and start it again. Twenty batches, as
     * with the 20,000 events this test had in batches of 1,000, at half the suite's time.
     */
    private static final String[] SERVE_ARGS = {"--lease-seconds", "3", "--workers", "2", "--delete-batch-size", "500",
            "--rate-limit", "100", "--read-rate-limit", "10000", "--compact-interval-seconds", "3600"};

    abstract StoreFixture store();

    @TempDir
    Path tmp;
    StoreConfig store;
    long projectId;
    String projectToken;
    String auth;

    @BeforeEach
    void seed() {
        store = store().newStore(tmp);
        try (LetheApp app = new LetheApp(LetheConfig.builder(store).build(), Clock.systemUTC())) {
            ProjectStore.Created project = app.projects().create("crash", Region.US);
            projectId = project.project().id();
            projectToken = project.project().token();
            var user = app.users().create("dpo@example.com");
            app.users().grant(user.id(), projectId, Role.OWNER);
            auth = Http.bearer(app.tokens().issue(user.id(), Duration.ofDays(30)).token());
            long t0 = 1_790_000_000_000L;
            List<EventRecord> batch = new ArrayList<>();
            for (int i = 0; i < VICTIM_EVENTS; i++) {
                String id = i < DEVICE_EVENTS ? VICTIM_DEVICE : VICTIM;
                batch.add(new EventRecord(id, "Page View", t0 + i * 1000L, "v-" + i, "track",
                        "{\"page\":\"/p/" + i + "\",\"$browser\":\"Firefox\"}", t0 + i * 1000L + 5));
                if (batch.size() == 5_000) {
                    app.events().insert(projectId, batch);
                    batch.clear();
                }
            }
            for (int p = 0; p < OTHERS; p++) {
                for (int i = 0; i < EVENTS_PER_OTHER; i++) {
                    batch.add(new EventRecord("other-" + p, "Purchase", t0 + i * 7919L, "o-" + p + "-" + i, "import",
                            "{\"amount\":" + i + "}", t0));
                }
                app.profiles().update(projectId, "other-" + p, t0, props -> props.put("plan", "pro"));
            }
            app.events().insert(projectId, batch);
            app.links().link(projectId, VICTIM_DEVICE, VICTIM, LinkKind.DEVICE, t0);
            app.links().link(projectId, "other-0", "other-0-phone", LinkKind.DEVICE, t0);
            app.profiles().update(projectId, VICTIM, t0, props -> props.put("$email", VICTIM));
        }
    }

    @Test
    void kill_9_during_a_started_deletion_then_restart_finishes_it_and_leaves_everyone_else_intact() {
        List<String> othersBefore = withApp(app -> RowSnapshot.othersThan(app.db(), projectId, Set.of(VICTIM, VICTIM_DEVICE)));

        String trackingId = runKillAndRestart(Http.DELETIONS, (serve, id) -> { });

        withApp(app -> {
            Task task = app.tasks().byTrackingId(trackingId).orElseThrow();
            assertThat(task.status()).isEqualTo(TaskStatus.SUCCESS);
            assertThat(task.attempts()).as("the restarted process resumed the task").isGreaterThanOrEqualTo(2);
            assertThat(app.events().count(projectId, List.of(VICTIM, VICTIM_DEVICE))).isZero();
            assertThat(count(app, "SELECT COUNT(*) FROM profiles WHERE project_id = ? AND person_key IN (?, ?)")).isZero();
            assertThat(count(app, "SELECT COUNT(*) FROM identity_links WHERE project_id = ? AND (key_a IN (?, ?) OR key_b IN (?, ?))"))
                    .isZero();
            assertThat(RowSnapshot.othersThan(app.db(), projectId, Set.of(VICTIM, VICTIM_DEVICE)))
                    .as("every other person's rows, byte for byte").isEqualTo(othersBefore);
            return null;
        });
    }

    @Test
    void kill_9_during_a_started_retrieval_then_restart_writes_the_complete_archive() throws IOException {
        List<String> everyoneBefore = withApp(app -> RowSnapshot.othersThan(app.db(), projectId, Set.of()));

        Path zip = tmp.resolve("download.zip");
        // why: downloaded from the process that finished the task, so the test starts no third JVM
        String trackingId = runKillAndRestart(Http.RETRIEVALS, (serve, id) -> {
            JsonNode check = serve.http().check(Http.RETRIEVALS, auth, projectToken, id);
            String link = check.path("results").asText();
            assertThat(link).isNotEmpty();
            URI local = URI.create(serve.http().baseUrl() + URI.create(link).getRawPath() + "?" + URI.create(link).getRawQuery());
            HttpResponse<byte[]> download = serve.http().sendBytes(HttpRequest.newBuilder(local).GET());
            assertThat(download.statusCode()).isEqualTo(200);
            try {
                Files.write(zip, download.body());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Map<String, byte[]> entries = ArchiveContents.read(zip, null);
        JsonNode manifest = Json.readTrusted(new String(entries.get("manifest.json"), StandardCharsets.UTF_8));
        long lines = new String(entries.get("events.jsonl"), StandardCharsets.UTF_8).lines().count();
        assertThat(manifest.path("counts").path("events").asLong()).isEqualTo(VICTIM_EVENTS);
        assertThat(lines).isEqualTo(VICTIM_EVENTS);
        assertThat(manifest.path("counts").path("profiles").asLong()).isEqualTo(1);
        try (Stream<Path> files = Files.walk(store.dataDir())) {
            assertThat(files.map(Path::toString).filter(f -> f.endsWith(".partial")))
                    .as("the dead process's half-written archive").isEmpty();
        }
        withApp(app -> {
            Task task = app.tasks().byTrackingId(trackingId).orElseThrow();
            assertThat(task.attempts()).as("the restarted process resumed the task").isGreaterThanOrEqualTo(2);
            assertThat(RowSnapshot.othersThan(app.db(), projectId, Set.of()))
                    .as("a retrieval changes no data").isEqualTo(everyoneBefore);
            return null;
        });
    }

    /**
     * Creates the task on a first process, kills it once STARTED, and lets a second one finish it; {@code finished} is
     * called with the second process and the tracking id before that process stops.
     */
    private String runKillAndRestart(String kindPath, java.util.function.BiConsumer<ServeProcess, String> finished) {
        String trackingId;
        try (ServeProcess first = ServeProcess.start(store, tmp.resolve("serve-1.log"), SERVE_ARGS)) {
            trackingId = first.http().create(kindPath, auth, projectToken, VICTIM);
            String status = awaitStoredStatusOtherThan(trackingId, Set.of("PENDING", "STAGING"), Duration.ofSeconds(60));
            assertThat(status).as("the task must be caught mid-run; a faster machine needs a bigger person").isEqualTo("STARTED");
            first.kill();
        }
        long left = withApp(app -> app.events().count(projectId, List.of(VICTIM, VICTIM_DEVICE)));
        System.out.printf("[crash] %s %s killed while STARTED; victim events in the store at the kill: %d%n",
                store.kind(), kindPath, left);
        try (ServeProcess second = ServeProcess.start(store, tmp.resolve("serve-2.log"), SERVE_ARGS)) {
            String status = awaitStatusOtherThan(second.http(), kindPath, trackingId, Set.of("PENDING", "STAGING", "STARTED"),
                    Duration.ofSeconds(180));
            assertThat(status).as(second.log()).isEqualTo("SUCCESS");
            finished.accept(second, trackingId);
        }
        return trackingId;
    }

    /**
     * Reads the task's status from the store through a plain connection of this JVM until it is none
     * of {@code waitingFor}: the kill must land while the task runs, and a status check over HTTP to
     * a child on a busy machine can take longer than the task's first batches.
     */
    private String awaitStoredStatusOtherThan(String trackingId, Set<String> waitingFor, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        try (Connection c = store.jdbcUrl() == null
                ? DriverManager.getConnection("jdbc:sqlite:" + store.sqliteFile().toAbsolutePath())
                : DriverManager.getConnection(store.jdbcUrl(), store.dbUser(), store.dbPassword());
             PreparedStatement ps = c.prepareStatement("SELECT status FROM tasks WHERE tracking_id = ?")) {
            ps.setString(1, trackingId);
            String status;
            do {
                try (ResultSet rs = ps.executeQuery()) {
                    status = rs.next() ? rs.getString(1) : null;
                }
                if (status != null && !waitingFor.contains(status)) {
                    return status;
                }
                ServeProcess.pause(Duration.ofMillis(1));
            } while (System.nanoTime() < deadline);
            throw new AssertionError("task " + trackingId + " still " + status + " after " + limit);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private String awaitStatusOtherThan(Http http, String kindPath, String trackingId, Set<String> waitingFor, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        String status;
        do {
            status = http.check(kindPath, auth, projectToken, trackingId).path("status").asText();
            if (!waitingFor.contains(status)) {
                return status;
            }
            ServeProcess.pause(Duration.ofMillis(5));
        } while (System.nanoTime() < deadline);
        throw new AssertionError("task " + trackingId + " still " + status + " after " + limit);
    }

    private long count(LetheApp app, String sql) {
        return app.db().withConnection(c -> {
            try (var ps = c.prepareStatement(sql)) {
                ps.setLong(1, projectId);
                for (int i = 2; i <= ps.getParameterMetaData().getParameterCount(); i++) {
                    ps.setBytes(i, app.db().keys().person(projectId, i % 2 == 0 ? VICTIM : VICTIM_DEVICE));
                }
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /** Opens the store in this JVM (no server, no workers) for set-up and checks. */
    private <T> T withApp(java.util.function.Function<LetheApp, T> body) {
        try (LetheApp app = new LetheApp(LetheConfig.builder(store).workers(0).build(), Clock.systemUTC())) {
            return body.apply(app);
        }
    }
}
