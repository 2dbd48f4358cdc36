package dev.lethe.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.json.Json;
import dev.lethe.task.Engines;
import dev.lethe.task.Task;
import dev.lethe.task.TaskStatus;
import dev.lethe.testing.StoreFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mixed load on loopback for {@code -Dlethe.load.seconds} (3 by default, so the suite runs a
 * short version): {@code /track} and {@code /import} as fast as they go, GDPR tasks of people
 * whose ingestion is over, and status polling, with the default GDPR rate limits. Only the
 * documented 429s may fail; afterwards every task is SUCCESS and the event count reconciles.
 */
abstract class LoadContract {

    private static final int SECONDS = Integer.getInteger("lethe.load.seconds", 3);
    private static final int TRACK_THREADS = 3;
    private static final int TRACK_BATCH = 50;
    private static final int BATCHES_PER_PERSON = 4;
    private static final int IMPORT_BATCH = 500;
    private static final long T0 = 1_790_000_000_000L;

    abstract StoreFixture store();

    @TempDir
    Path tmp;
    LiveServer server;
    ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        threads.shutdownNow();
        if (server != null) {
            server.close();
        }
    }

    /** A person whose ingestion is over, with how many distinct events of theirs were accepted. */
    private record Person(String id, long events) {
    }

    @Test
    void mixed_load_loses_nothing_refuses_only_with_429_and_every_task_succeeds() throws Exception {
        server = LiveServer.start(store().newStore(tmp), Clock.systemUTC(), b -> b.rateLimit(1.0).readRateLimit(10.0));
        LiveServer.Owned project = server.ownedProject("load");
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        Map<String, LongAdder> requests = new ConcurrentHashMap<>();
        LongAdder accepted = new LongAdder();
        LongAdder duplicates = new LongAdder();
        LongAdder tooMany = new LongAdder();
        BlockingQueue<Person> finished = new LinkedBlockingQueue<>();
        Semaphore pollTurns = new Semaphore(0);
        Semaphore queued = new Semaphore(0);
        ConcurrentLinkedQueue<String> tasks = new ConcurrentLinkedQueue<>();
        Map<String, Long> deletedEvents = new ConcurrentHashMap<>();

        List<Future<?>> load = new ArrayList<>();
        for (int t = 0; t < TRACK_THREADS; t++) {
            int thread = t;
            load.add(threads.submit(() -> {
                for (int p = 0; !stop.get(); p++) {
                    String person = "track-" + thread + "-" + p;
                    long events = 0;
                    for (int batch = 0; batch < BATCHES_PER_PERSON; batch++) {
                        StringBuilder body = new StringBuilder("[");
                        for (int k = 0; k < TRACK_BATCH; k++) {
                            int n = batch * TRACK_BATCH + k;
                            body.append(k == 0 ? "" : ",").append(Json.write(Map.of("event", "View", "properties", Map.of(
                                    "token", project.token(), "distinct_id", person, "time", T0 + n, "$insert_id", person + "-" + n))));
                        }
                        HttpResponse<String> r = server.http.postJson("/track", body.append(']').toString(), null);
                        count(requests, "track");
                        if (r.statusCode() == 200 && r.body().equals("1")) {
                            accepted.add(TRACK_BATCH);
                            events += TRACK_BATCH;
                        } else {
                            errors.add("/track " + r.statusCode() + " " + r.body());
                        }
                        pollTurns.release();
                    }
                    finished.add(new Person(person, events));
                }
                return null;
            }));
        }
        load.add(threads.submit(() -> {
            for (int p = 0; !stop.get(); p++) {
                String person = "import-" + p;
                StringBuilder body = new StringBuilder("[");
                for (int k = 0; k < IMPORT_BATCH; k++) {
                    body.append(k == 0 ? "" : ",").append(Json.write(Map.of("event", "Purchase", "properties", Map.of(
                            "distinct_id", person, "time", T0 + k, "$insert_id", person + "-" + k))));
                }
                long events = 0;
                // why: every fifth batch is sent twice, as an SDK retrying after a timeout would; the copy must dedupe.
                for (int attempt = 0; attempt < (p % 5 == 0 ? 2 : 1); attempt++) {
                    HttpResponse<String> r = server.http.postJson("/import", body.toString() + "]",
                            Http.basic(project.apiSecret(), ""));
                    count(requests, "import");
                    if (r.statusCode() == 200) {
                        long n = Json.readTrusted(r.body()).path("num_records_imported").asLong();
                        accepted.add(n);
                        if (attempt == 0) {
                            events = n;
                        } else {
                            duplicates.add(n);
                        }
                    } else {
                        errors.add("/import " + r.statusCode() + " " + r.body());
                    }
                }
                finished.add(new Person(person, events));
            }
            return null;
        }));
        load.add(threads.submit(() -> {
            List<Person> waiting = new ArrayList<>();
            for (int n = 0; !stop.get(); ) {
                Person arrived = finished.poll(100, TimeUnit.MILLISECONDS);
                if (arrived == null) {
                    continue;
                }
                waiting.add(arrived);
                Person person = waiting.remove(0);
                boolean deletion = n % 2 == 0;
                HttpResponse<String> r = server.http.gdpr("POST", deletion ? Http.DELETIONS : Http.RETRIEVALS,
                        project.authorization(), project.token(), Json.write(Map.of("distinct_ids", List.of(person.id()))));
                count(requests, "gdpr-create");
                if (r.statusCode() == 201) {
                    n++;
                    tasks.add(Json.readTrusted(r.body()).path("results").path("tracking_id").asText());
                    if (deletion) {
                        deletedEvents.put(person.id(), person.events());
                    }
                    queued.release();
                } else if (r.statusCode() == 429 && r.headers().firstValue("Retry-After").isPresent()) {
                    tooMany.increment();
                    waiting.add(person);
                } else {
                    errors.add("create " + r.statusCode() + " " + r.body());
                }
            }
            return null;
        }));
        load.add(threads.submit(() -> {
            while (!stop.get()) {
                if (!pollTurns.tryAcquire(20, 100, TimeUnit.MILLISECONDS) || tasks.isEmpty()) {
                    continue;
                }
                String id = tasks.peek();
                HttpResponse<String> r = server.http.gdpr("GET", Http.RETRIEVALS + "?limit=20", project.authorization(),
                        project.token(), null);
                count(requests, "gdpr-poll");
                if (r.statusCode() == 429 && r.headers().firstValue("Retry-After").isPresent()) {
                    tooMany.increment();
                } else if (r.statusCode() != 200) {
                    errors.add("poll " + id + " " + r.statusCode() + " " + r.body());
                }
            }
            return null;
        }));
        LongAdder ranDuringLoad = new LongAdder();
        Future<?> worker = threads.submit(() -> {
            while (!stop.get()) {
                if (server.app.engine().runOnce()) {
                    ranDuringLoad.increment();
                } else {
                    queued.tryAcquire(100, TimeUnit.MILLISECONDS);
                }
            }
            return null;
        });

        long started = System.nanoTime();
        try {
            assertThat(load.get(0).get(SECONDS, TimeUnit.SECONDS)).as("the load threads run until stopped").isNull();
        } catch (java.util.concurrent.TimeoutException expected) {
            // why: the load runs for exactly the configured time; the timeout is the stop signal.
        }
        stop.set(true);
        for (Future<?> f : load) {
            f.get(60, TimeUnit.SECONDS);
        }
        worker.get(60, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - started) / 1e9;
        Engines.drain(server.app.engine());

        assertThat(errors).as("failures other than 429").isEmpty();
        assertThat(tasks).isNotEmpty();
        for (String id : tasks) {
            Task task = server.app.tasks().byTrackingId(id).orElseThrow();
            assertThat(task.status()).as("task %s: %s", id, task.error()).isEqualTo(TaskStatus.SUCCESS);
        }
        long deleted = deletedEvents.values().stream().mapToLong(Long::longValue).sum();
        long stored = server.app.db().withConnection(c -> {
            try (var ps = c.prepareStatement("SELECT COUNT(*) FROM events WHERE project_id = ?")) {
                ps.setLong(1, project.id());
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
        assertThat(server.app.events().count(project.id(), deletedEvents.keySet())).isZero();
        assertThat(stored).as("stored = accepted - duplicates - deleted").isEqualTo(accepted.sum() - duplicates.sum() - deleted);

        StringBuilder rates = new StringBuilder();
        new java.util.TreeMap<>(requests).forEach((k, v) -> rates.append(String.format("%s %.1f/s, ", k, v.sum() / seconds)));
        JsonNode summary = Json.MAPPER.valueToTree(Map.of("accepted", accepted.sum(), "duplicates", duplicates.sum(),
                "deleted", deleted, "stored", stored, "tasks", tasks.size(), "ran_during_load", ranDuringLoad.sum(),
                "too_many_requests", tooMany.sum()));
        System.out.printf("[load] %s %.1f s: %sevents accepted %.0f/s; %s%n", server.app.db().kind(), seconds, rates,
                accepted.sum() / seconds, summary);
    }

    private static void count(Map<String, LongAdder> requests, String kind) {
        requests.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }
}
