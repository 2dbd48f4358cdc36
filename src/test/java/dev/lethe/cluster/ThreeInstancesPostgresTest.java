package dev.lethe.cluster;

import dev.lethe.app.LetheApp;
import dev.lethe.auth.Role;
import dev.lethe.auth.UserStore;
import dev.lethe.config.LetheConfig;
import dev.lethe.event.EventRecord;
import dev.lethe.json.Json;
import dev.lethe.project.Project;
import dev.lethe.project.Region;
import dev.lethe.store.StoreConfig;
import dev.lethe.task.Task;
import dev.lethe.task.TaskExecutor;
import dev.lethe.task.TaskKind;
import dev.lethe.task.TaskRun;
import dev.lethe.task.TaskStatus;
import dev.lethe.testing.EventBuilder;
import dev.lethe.testing.StoreFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three instances on one PostgreSQL database and one data directory, two workers each, take
 * tasks queued through all three APIs. Every task is handed to an executor exactly once: the
 * executors of all instances record each call, and the task rows show one claim each.
 */
class ThreeInstancesPostgresTest {

    private static final int DELETIONS = 150;
    private static final int RETRIEVALS = 60;

    @TempDir
    Path tmp;
    private final List<LetheApp> apps = new ArrayList<>();
    /** Task id to the instances whose executor was handed it. */
    private final Map<Long, Queue<String>> runs = new ConcurrentHashMap<>();
    private final CountDownLatch finished = new CountDownLatch(DELETIONS + RETRIEVALS);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void stop() {
        apps.forEach(LetheApp::close);
    }

    @Test
    void tasks_queued_through_three_instances_each_run_exactly_once() throws Exception {
        StoreConfig store = StoreFixture.postgres().newStore(tmp);
        for (int i = 0; i < 3; i++) {
            String instance = "instance-" + i;
            LetheApp app = new LetheApp(LetheConfig.builder(store).host("127.0.0.1").port(0).workers(2)
                    .pollInterval(Duration.ofMillis(50)).rateLimit(100_000).readRateLimit(100_000)
                    .compactInterval(Duration.ofHours(1)).build(),
                    Clock.systemUTC(), executor -> new Recorded(instance, executor));
            apps.add(app);
        }
        LetheApp first = apps.get(0);
        Project project = first.projects().create("shared", Region.US).project();
        UserStore.User dpo = first.users().create("dpo@example.com");
        first.users().grant(dpo.id(), project.id(), Role.OWNER);
        String bearer = first.tokens().issue(dpo.id(), Duration.ofDays(1)).token();
        for (int i = 0; i < DELETIONS + RETRIEVALS; i++) {
            String person = "person-" + i;
            first.events().insert(project.id(), IntStream.range(0, 20)
                    .mapToObj(n -> EventBuilder.event(person).at(1_790_000_000_000L + n).build()).toList());
        }
        apps.forEach(LetheApp::start);

        List<String> trackingIds = new ArrayList<>();
        for (int i = 0; i < DELETIONS + RETRIEVALS; i++) {
            LetheApp via = apps.get(i % 3);
            String path = i < DELETIONS ? "/api/app/data-deletions/v3.0" : "/api/app/data-retrievals/v3.0";
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + via.port() + path + "?token=" + project.token()))
                    .header("Authorization", "Bearer " + bearer).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of("distinct_ids", List.of("person-" + i)))))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            trackingIds.add(Json.readTrusted(r.body()).path("results").path("task_id").asText());
        }

        assertThat(finished.await(120, TimeUnit.SECONDS)).as("every task was run to its end").isTrue();

        List<Task> tasks = trackingIds.stream().map(id -> first.tasks().byTrackingId(id).orElseThrow()).toList();
        assertThat(tasks).extracting(Task::trackingId).doesNotHaveDuplicates();
        for (Task t : tasks) {
            assertThat(t.status()).as(t.trackingId() + " " + t.error()).isEqualTo(TaskStatus.SUCCESS);
            assertThat(t.attempts()).as("claims of " + t.trackingId()).isEqualTo(1);
            assertThat(runs.get(t.id())).as("executor calls for " + t.trackingId()).hasSize(1);
        }
        assertThat(runs).hasSize(DELETIONS + RETRIEVALS);
        assertThat(runs.values().stream().map(Queue::peek).distinct().count())
                .as("instances that ran tasks").isGreaterThanOrEqualTo(2);
        assertThat(tasks.stream().filter(t -> t.kind() == TaskKind.RETRIEVAL).map(t -> first.config().store().dataDir()
                .resolve(t.resultPath())).filter(p -> p.toFile().isFile()).count()).isEqualTo(RETRIEVALS);
        List<String> deleted = IntStream.range(0, DELETIONS).mapToObj(i -> "person-" + i).toList();
        assertThat(first.events().count(project.id(), deleted)).isZero();
        List<EventRecord> kept = first.events().list(project.id(), List.of("person-" + DELETIONS));
        assertThat(kept).hasSize(20);
    }

    /** Records which instance's executor was handed which task, then runs it. */
    private final class Recorded implements TaskExecutor {
        private final String instance;
        private final TaskExecutor delegate;

        Recorded(String instance, TaskExecutor delegate) {
            this.instance = instance;
            this.delegate = delegate;
        }

        @Override
        public TaskKind kind() {
            return delegate.kind();
        }

        @Override
        public Set<String> prepare(Task task) {
            return delegate.prepare(task);
        }

        @Override
        public void run(Task task, TaskRun run) throws Exception {
            runs.computeIfAbsent(task.id(), id -> new ConcurrentLinkedQueue<>()).add(instance);
            try {
                delegate.run(task, run);
            } finally {
                finished.countDown();
            }
        }
    }
}
