package dev.lethe.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.event.EventRecord;
import dev.lethe.json.Json;
import dev.lethe.task.Engines;
import dev.lethe.task.NewTask;
import dev.lethe.task.Task;
import dev.lethe.task.TaskKind;
import dev.lethe.task.TaskStatus;
import dev.lethe.task.TaskStore;
import dev.lethe.testing.RaceBias;
import dev.lethe.testing.RowSnapshot;
import dev.lethe.testing.StoreFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Races that real deletions, real ingestion and many simultaneous GDPR callers run into. */
abstract class ConcurrencyContract {

    private static final int RACE_TRIALS = 1000;
    private static final long T0 = 1_790_000_000_000L;

    abstract StoreFixture store();

    @TempDir
    Path tmp;
    LiveServer server;
    ExecutorService threads = Executors.newFixedThreadPool(8);

    @AfterEach
    void stop() {
        threads.shutdownNow();
        if (server != null) {
            server.close();
        }
    }

    /**
     * Steered ({@link RaceBias}) so that the start wins about one trial in ten: each of its wins
     * runs a real deletion, the slow outcome; the test fails unless both outcomes occurred.
     */
    @Test
    void cancel_and_start_race_a_thousand_times_and_a_revoked_deletion_never_touches_data() throws Exception {
        server = LiveServer.start(store().newStore(tmp), Clock.systemUTC(), b -> b);
        LiveServer.Owned project = server.ownedProject("race");
        server.app.events().insert(project.id(), events("bystander", 5));
        List<String> bystander = RowSnapshot.othersThan(server.app.db(), project.id(), Set.of());
        TaskStore tasks = server.app.tasks();
        RaceBias bias = new RaceBias(0.9, Duration.ofNanos(50_000), Duration.ofMillis(20));
        int revoked = 0;
        Set<String> raced = new HashSet<>();
        for (int i = 0; i < RACE_TRIALS; i++) {
            String person = "person-" + i;
            raced.add(person);
            server.app.events().insert(project.id(), events(person, 2));
            Task task = tasks.create(new NewTask(project.id(), TaskKind.DELETION, "GDPR", null, false, "dpo@example.com",
                    List.of(person))).task();
            CountDownLatch go = new CountDownLatch(1);
            CompletableFuture<TaskStore.CancelOutcome> cancel = CompletableFuture.supplyAsync(() -> {
                await(go);
                bias.beforeFirst();
                return tasks.cancel(project.id(), TaskKind.DELETION, task.trackingId());
            }, threads);
            CompletableFuture<Boolean> work = CompletableFuture.supplyAsync(() -> {
                await(go);
                bias.beforeSecond();
                return server.app.engine().runOnce();
            }, threads);
            go.countDown();
            TaskStore.CancelOutcome outcome = cancel.get(60, TimeUnit.SECONDS);
            work.get(60, TimeUnit.SECONDS);

            TaskStatus end = tasks.byTrackingId(task.trackingId()).orElseThrow().status();
            long left = server.app.events().count(project.id(), List.of(person));
            bias.record(outcome == TaskStore.CancelOutcome.REVOKED);
            if (outcome == TaskStore.CancelOutcome.REVOKED) {
                revoked++;
                assertThat(end).as("trial %d", i).isEqualTo(TaskStatus.REVOKED);
                assertThat(left).as("events of a REVOKED deletion in trial %d", i).isEqualTo(2);
            } else {
                assertThat(outcome).as("trial %d", i).isEqualTo(TaskStore.CancelOutcome.NOT_CANCELLABLE);
                assertThat(end).as("trial %d", i).isEqualTo(TaskStatus.SUCCESS);
                assertThat(left).as("trial %d", i).isZero();
            }
        }
        System.out.printf("[race] %s: %d trials, cancel won %d, start won %d, last head start %d µs%n",
                server.app.db().kind(), RACE_TRIALS, revoked, RACE_TRIALS - revoked, bias.offsetMicros());
        assertThat(revoked).as("trials the cancel won").isPositive();
        assertThat(RACE_TRIALS - revoked).as("trials the worker's start won").isPositive();
        assertThat(RowSnapshot.othersThan(server.app.db(), project.id(), raced)).isEqualTo(bystander);
    }

    /** One ingestion request: the insert ids it carried, when it was sent and when its answer came back. */
    private record Sent(List<String> insertIds, long sentAt, long returnedAt) {
    }

    @Test
    void events_received_before_a_deletion_succeeds_never_survive_it() throws Exception {
        server = LiveServer.start(store().newStore(tmp), Clock.systemUTC(), b -> b.deleteBatchSize(2000));
        LiveServer.Owned project = server.ownedProject("ingest-race");
        String victim = "victim-42";
        // why: 6,000 events take the deletion through three batches; the events ingested while it
        // runs are erased in its final step, so a bigger seed only grows that step (on PostgreSQL,
        // 30,000 seeded events let the ingesters add ten times as many before SUCCESS).
        for (int i = 0; i < 6; i++) {
            server.app.events().insert(project.id(), events(victim, 1000, "seed-" + i + "-"));
        }
        server.app.events().insert(project.id(), events("bystander", 50));
        List<String> bystander = RowSnapshot.othersThan(server.app.db(), project.id(), Set.of(victim));

        ConcurrentLinkedQueue<Sent> sent = new ConcurrentLinkedQueue<>();
        AtomicBoolean deleted = new AtomicBoolean();
        CountDownLatch warmedUp = new CountDownLatch(20);
        List<Future<Integer>> ingesters = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            int thread = t;
            ingesters.add(threads.submit(() -> {
                int afterSuccess = 0;
                for (int n = 0; afterSuccess < 10; n++) {
                    if (deleted.get()) {
                        afterSuccess++;
                    }
                    List<String> ids = new ArrayList<>();
                    StringBuilder batch = new StringBuilder("[");
                    for (int k = 0; k < 20; k++) {
                        String insertId = "t" + thread + "-" + n + "-" + k;
                        ids.add(insertId);
                        batch.append(k == 0 ? "" : ",").append(Json.write(Map.of("event", "Tap", "properties", Map.of(
                                "token", project.token(), "distinct_id", victim, "time", T0 + n, "$insert_id", insertId))));
                    }
                    long sentAt = System.currentTimeMillis();
                    HttpResponse<String> r = server.http.postJson("/track", batch.append("]").toString(), null);
                    long returnedAt = System.currentTimeMillis();
                    assertThat(r.body()).as("/track answer, status %d", r.statusCode()).isEqualTo("1");
                    sent.add(new Sent(ids, sentAt, returnedAt));
                    warmedUp.countDown();
                }
                return afterSuccess;
            }));
        }
        assertThat(warmedUp.await(60, TimeUnit.SECONDS)).isTrue();
        String trackingId = server.http.create(Http.DELETIONS, project.authorization(), project.token(), victim);
        // why: finishedAt is written inside the final transaction, before its commit; a client can
        // only act on SUCCESS once it reads it, so "after SUCCESS" starts when the first read that
        // sees it returns (a loaded machine once left a second between the two, and the test counted
        // requests that arrived before the commit as sent after it). Not when that read starts: the
        // commit may land while it runs, and a request sent meanwhile still meets the deletion's hold.
        Future<Long> seenAt = threads.submit(() -> {
            while (true) {
                boolean succeeded = server.app.tasks().byTrackingId(trackingId).orElseThrow().status() == TaskStatus.SUCCESS;
                long readAt = System.currentTimeMillis();
                if (succeeded) {
                    return readAt;
                }
                Thread.sleep(2);
            }
        });
        assertThat(server.app.engine().runOnce()).isTrue();
        deleted.set(true);
        for (Future<Integer> f : ingesters) {
            f.get(60, TimeUnit.SECONDS);
        }

        Task task = server.app.tasks().byTrackingId(trackingId).orElseThrow();
        assertThat(task.status()).isEqualTo(TaskStatus.SUCCESS);
        long success = task.finishedAt();
        long visible = seenAt.get(60, TimeUnit.SECONDS);
        Set<String> survivors = server.app.events().list(project.id(), List.of(victim)).stream()
                .map(EventRecord::insertId).collect(Collectors.toSet());
        List<Sent> before = sent.stream().filter(s -> s.returnedAt() < success).toList();
        List<Sent> after = sent.stream().filter(s -> s.sentAt() > visible).toList();
        assertThat(before.size()).as("requests answered before SUCCESS").isGreaterThanOrEqualTo(20);
        assertThat(before.stream().flatMap(s -> s.insertIds().stream()).filter(survivors::contains).toList())
                .as("events received before SUCCESS that survived it").isEmpty();
        assertThat(survivors).as("no seeded event survives").noneMatch(id -> id.startsWith("seed-"));
        assertThat(survivors).as("events sent after SUCCESS are stored as usual")
                .containsAll(after.stream().flatMap(s -> s.insertIds().stream()).toList());
        assertThat(RowSnapshot.othersThan(server.app.db(), project.id(), Set.of(victim))).isEqualTo(bystander);
        System.out.printf("[ingest-race] %s: %d requests answered before SUCCESS, %d sent after, %d in between%n",
                server.app.db().kind(), before.size(), after.size(), sent.size() - before.size() - after.size());
    }

    @Test
    void sixty_simultaneous_gdpr_requests_across_five_projects_are_all_answered_and_isolated() throws Exception {
        server = LiveServer.start(store().newStore(tmp), Clock.systemUTC(), b -> b);
        List<LiveServer.Owned> projects = new ArrayList<>();
        List<String> checked = new ArrayList<>();
        for (int p = 0; p < 5; p++) {
            LiveServer.Owned project = server.ownedProject("multi-" + p);
            projects.add(project);
            server.app.events().insert(project.id(), events("shared-person", 7));
            for (int k = 0; k < 7; k++) {
                server.app.events().insert(project.id(), events("p" + p + "-person-" + k, 3));
            }
            checked.add(server.http.create(Http.RETRIEVALS, project.authorization(), project.token(), "p" + p + "-person-0"));
        }
        CountDownLatch go = new CountDownLatch(1);
        List<Callable<HttpResponse<String>>> calls = new ArrayList<>();
        List<Integer> expected = new ArrayList<>();
        List<Integer> owner = new ArrayList<>();
        for (int p = 0; p < 5; p++) {
            LiveServer.Owned project = projects.get(p);
            String check = checked.get(p);
            for (int k = 0; k < 3; k++) {
                String deletionOf = p < 3 && k == 0 ? "shared-person" : "p" + p + "-person-" + (k + 1);
                // why: people nobody deletes; a retrieval whose person's deletion finishes while it
                // writes the archive ends in FAILURE by design, which this test is not about.
                String retrievalOf = "p" + p + "-person-" + (k + 4);
                calls.add(() -> server.http.gdpr("POST", Http.DELETIONS, project.authorization(), project.token(),
                        Json.write(Map.of("distinct_ids", List.of(deletionOf)))));
                calls.add(() -> server.http.gdpr("POST", Http.RETRIEVALS, project.authorization(), project.token(),
                        Json.write(Map.of("distinct_ids", List.of(retrievalOf), "compliance_type", "ccpa"))));
                calls.add(() -> server.http.gdpr("GET", Http.DELETIONS + "?limit=1000", project.authorization(),
                        project.token(), null));
                calls.add(() -> server.http.gdpr("GET", Http.RETRIEVALS + "/" + check, project.authorization(),
                        project.token(), null));
                expected.addAll(List.of(201, 201, 200, 200));
                owner.addAll(List.of(p, p, p, p));
            }
        }
        ExecutorService callers = Executors.newFixedThreadPool(calls.size());
        AtomicBoolean requestsDone = new AtomicBoolean();
        AtomicInteger ranConcurrently = new AtomicInteger();
        List<Future<?>> workers = new ArrayList<>();
        try {
            for (int w = 0; w < 2; w++) {
                workers.add(threads.submit(() -> {
                    while (!requestsDone.get()) {
                        if (server.app.engine().runOnce()) {
                            ranConcurrently.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (Callable<HttpResponse<String>> call : calls) {
                answers.add(callers.submit(() -> {
                    go.await();
                    return call.call();
                }));
            }
            go.countDown();
            Map<Integer, Set<String>> created = new java.util.HashMap<>();
            for (int i = 0; i < answers.size(); i++) {
                HttpResponse<String> r = answers.get(i).get(60, TimeUnit.SECONDS);
                assertThat(r.statusCode()).as("request %d: %s", i, r.body()).isEqualTo(expected.get(i));
                JsonNode body = Json.readTrusted(r.body());
                if (r.statusCode() == 201) {
                    created.computeIfAbsent(owner.get(i), k -> new HashSet<>()).add(body.path("results").path("tracking_id").asText());
                }
            }
            requestsDone.set(true);
            for (Future<?> w : workers) {
                w.get(60, TimeUnit.SECONDS);
            }
            Engines.drain(server.app.engine());

            for (int p = 0; p < 5; p++) {
                LiveServer.Owned project = projects.get(p);
                Set<String> own = new HashSet<>(created.get(p));
                own.add(checked.get(p));
                Set<String> listed = new HashSet<>();
                for (String kind : List.of(Http.DELETIONS, Http.RETRIEVALS)) {
                    JsonNode page = Json.readTrusted(server.http.gdpr("GET", kind + "?limit=1000", project.authorization(),
                            project.token(), null).body());
                    page.path("results").forEach(t -> {
                        listed.add(t.path("tracking_id").asText());
                        assertThat(t.path("status").asText()).isEqualTo("SUCCESS");
                    });
                }
                assertThat(listed).as("project %d lists exactly its own tasks", p).isEqualTo(own);
                long shared = server.app.events().count(project.id(), List.of("shared-person"));
                assertThat(shared).as("shared-person in project %d", p).isEqualTo(p < 3 ? 0 : 7);
                assertThat(server.app.events().count(project.id(), List.of("p" + p + "-person-4"))).isEqualTo(3);
            }
        } finally {
            requestsDone.set(true);
            callers.shutdownNow();
        }
        System.out.printf("[gdpr-burst] %s: %d requests, %d tasks run while requests were in flight%n",
                server.app.db().kind(), calls.size(), ranConcurrently.get());
    }

    private static List<EventRecord> events(String distinctId, int n) {
        return events(distinctId, n, distinctId + "-");
    }

    private static List<EventRecord> events(String distinctId, int n, String insertPrefix) {
        List<EventRecord> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new EventRecord(distinctId, "Page View", T0 + i, insertPrefix + i, "track", "{\"i\":" + i + "}", T0));
        }
        return out;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
