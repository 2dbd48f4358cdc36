package dev.lethe.cluster;

import dev.lethe.app.LetheApp;
import dev.lethe.auth.Role;
import dev.lethe.auth.UserStore;
import dev.lethe.config.LetheConfig;
import dev.lethe.json.Json;
import dev.lethe.project.Project;
import dev.lethe.project.Region;
import dev.lethe.store.StoreConfig;
import dev.lethe.task.Task;
import dev.lethe.task.TaskStatus;
import dev.lethe.testing.EventBuilder;
import dev.lethe.testing.StoreFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real {@code lethe serve} processes on one PostgreSQL: the one holding a deletion is killed
 * with SIGKILL half-way, and a second instance finishes the task once the lease runs out.
 * The processes run the main class on the classpath this build compiled, so they run the
 * code under test, never a stale jar. Waiting on separate processes needs polling; each wait
 * is bounded.
 */
class KillNinePostgresTest {

    /** Forty batches of 250 (it had 20,000 in batches of 500: the same steps at half the suite's time). */
    private static final int EVENTS = 10_000;
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path tmp;
    private final List<Process> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private StoreConfig store;
    private LetheApp observer;

    @AfterEach
    void stop() {
        processes.forEach(Process::destroyForcibly);
        if (observer != null) {
            observer.close();
        }
    }

    @Test
    void an_instance_killed_mid_deletion_leaves_the_task_to_another_that_finishes_it() throws Exception {
        store = StoreFixture.postgres().newStore(tmp);
        // why: an instance without HTTP or workers, only to seed and to read the shared store.
        observer = new LetheApp(LetheConfig.builder(store).workers(0).build(), Clock.systemUTC());
        Project project = observer.projects().create("shared", Region.US).project();
        UserStore.User dpo = observer.users().create("dpo@example.com");
        observer.users().grant(dpo.id(), project.id(), Role.OWNER);
        String bearer = observer.tokens().issue(dpo.id(), Duration.ofDays(1)).token();
        // why: how long the deletion runs, and so whether the kill lands mid-task, depends on the rows' width.
        for (int start = 0; start < EVENTS; start += 5000) {
            int from = start;
            observer.events().insert(project.id(), IntStream.range(from, from + 5000)
                    .mapToObj(n -> EventBuilder.event("victim").at(1_790_000_000_000L + n)
                            .properties("{\"$browser\":\"Firefox\",\"page\":\"/home\"}").build()).toList());
        }
        observer.events().insert(project.id(), List.of(EventBuilder.event("bystander").at(EventBuilder.NOW_MS).build()));

        Instance first = serve("first");
        String trackingId = createDeletion(first, project, bearer, "victim");
        Task started = await("the first instance starts the deletion", () -> task(trackingId)
                .filter(t -> t.status() == TaskStatus.STARTED && t.counts() != null
                        && t.counts().path("events_deleted").asLong() > 0), first);

        first.process.destroyForcibly();
        first.process.waitFor();
        Task orphaned = task(trackingId).orElseThrow();
        assertThat(orphaned.status()).as("killed mid-task").isEqualTo(TaskStatus.STARTED);
        assertThat(orphaned.owner()).isEqualTo(started.owner());
        assertThat(observer.events().count(project.id(), List.of("victim"))).as("events left when killed").isPositive();

        Instance second = serve("second");
        Task done = await("the second instance finishes the deletion", () -> task(trackingId)
                .filter(t -> t.status() == TaskStatus.SUCCESS || t.status() == TaskStatus.FAILURE), second);

        assertThat(done.status()).as(done.error()).isEqualTo(TaskStatus.SUCCESS);
        assertThat(done.attempts()).as("claimed by the first instance, then once more by the second").isEqualTo(2);
        assertThat(observer.events().count(project.id(), List.of("victim"))).isZero();
        assertThat(observer.events().count(project.id(), List.of("bystander"))).isEqualTo(1);
        assertThat(Files.readString(second.log)).contains("Lethe listening");
    }

    private record Instance(Process process, int port, Path log) {
    }

    private Instance serve(String name) throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Path log = tmp.resolve(name + ".log");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), "dev.lethe.Lethe",
                "serve", "--store", "postgres", "--jdbc-url", store.jdbcUrl(), "--db-user", store.dbUser(),
                "--db-password", store.dbPassword(), "--data-dir", store.dataDir().toString(), "--host", "127.0.0.1",
                "--port", Integer.toString(port), "--workers", "1", "--lease-seconds", "3", "--delete-batch-size", "250",
                "--rate-limit", "1000")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(p);
        Instance instance = new Instance(p, port, log);
        await(name + " answers HTTP", () -> answers(port) ? Optional.of(true) : Optional.empty(), instance);
        return instance;
    }

    private boolean answers(int port) {
        try {
            http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/app/data-deletions/v3.0"))
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String createDeletion(Instance via, Project project, String bearer, String id) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + via.port + "/api/app/data-deletions/v3.0?token=" + project.token()))
                .header("Authorization", "Bearer " + bearer).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of("distinct_ids", List.of(id))))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return Json.readTrusted(r.body()).path("results").path("task_id").asText();
    }

    private Optional<Task> task(String trackingId) {
        return observer.tasks().byTrackingId(trackingId);
    }

    /** Polls until {@code probe} yields a value; fails with the instance's log after the deadline or if it exits. */
    private <T> T await(String what, Supplier<Optional<T>> probe, Instance instance) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (!instance.process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("timed out or exited waiting until " + what + "; its log:\n" + Files.readString(instance.log));
            }
            // why: a separate process gives nothing to wait on; a short poll interval, bounded by the deadline.
            Thread.sleep(10);
        }
    }
}
