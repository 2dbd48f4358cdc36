package dev.lethe.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.json.Json;
import dev.lethe.task.Engines;
import dev.lethe.testing.StoreFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Thousands of malformed requests (5,000; {@code -Dlethe.hostile.requests} for more) from a seeded generator ({@link HostileRequests}) against every
 * endpoint, from several threads: each is refused with a 4xx and the contract's error body, the
 * server stays healthy, and not one stored row changes.
 */
abstract class HostileInputContract {

    // why: 5,000 cover every fault kind of the generator many times over; 10,000 cost the suite ~10 s a store.
    private static final int REQUESTS = Integer.getInteger("lethe.hostile.requests", 5_000);
    private static final int THREADS = 8;
    private static final long SEED = Long.getLong("lethe.hostile.seed", 20261128L);

    abstract StoreFixture store();

    @TempDir
    Path tmp;
    LiveServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void thousands_of_malformed_requests_are_refused_with_json_errors_and_change_nothing() throws Exception {
        server = LiveServer.start(store().newStore(tmp), Clock.systemUTC(), b -> b);
        HostileRequests.Target target = seed();
        List<String> before = Tables.dump(server.app.db(), Tables.DATA);

        HostileRequests generator = new HostileRequests(target, server.app.config().maxBodyBytes());
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        AtomicInteger next = new AtomicInteger();
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        long started = System.nanoTime();
        try {
            List<Future<?>> runs = new java.util.ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                runs.add(threads.submit(() -> {
                    for (int n = next.getAndIncrement(); n < REQUESTS; n = next.getAndIncrement()) {
                        HostileRequests.Hostile h = generator.make(SEED, n);
                        HttpResponse<String> answer = send(client, h);
                        if (answer != null) {
                            statuses.computeIfAbsent(answer.statusCode(), k -> new LongAdder()).increment();
                        }
                        String problem = judge(h, answer);
                        if (problem != null) {
                            problems.add("#" + n + " (" + h.fault() + "): " + problem);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get(5, TimeUnit.MINUTES);
            }
        } finally {
            threads.shutdownNow();
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertThat(problems).as("seed %d", SEED).isEmpty();
        assertThat(server.http.get("/healthz").statusCode()).isEqualTo(200);
        assertThat(Tables.dump(server.app.db(), Tables.DATA)).as("stored rows after the malformed requests").isEqualTo(before);
        System.out.printf("[hostile] %s: %d requests in %d ms, statuses %s%n", server.app.db().kind(), REQUESTS, millis,
                new TreeMap<>(statuses));
    }

    /** Null when the answer is a correct refusal, else what is wrong with it. */
    private static String judge(HostileRequests.Hostile h, HttpResponse<String> r) {
        if (r == null) {
            return "no answer (connection failed)";
        }
        int status = r.statusCode();
        if (status >= 500) {
            return "server error " + status + ": " + r.body();
        }
        if (status < 400) {
            return "accepted with " + status + ": " + r.body();
        }
        String path = h.request().uri().getPath();
        boolean legacy = path.startsWith("/track") || path.startsWith("/engage") || path.startsWith("/import");
        String body = r.body();
        if (legacy && body.equals("0")) {
            return null;
        }
        JsonNode json;
        try {
            json = Json.readTrusted(body);
        } catch (RuntimeException e) {
            return status + " with a body that is not JSON: " + abbreviate(body);
        }
        if (json.isObject() && "error".equals(json.path("status").asText()) && json.path("error").isTextual()) {
            return null;
        }
        if (legacy && json.isObject() && json.path("status").asInt(-1) == 0 && json.path("error").isTextual()) {
            return null;
        }
        // why: /import?strict=1 answers Mixpanel's own error body (docs/ingestion.md).
        if (path.startsWith("/import") && json.path("code").asInt() == status && json.path("error").isTextual()) {
            return null;
        }
        return status + " with a body that is not an error body: " + abbreviate(body);
    }

    private HttpResponse<String> send(HttpClient client, HostileRequests.Hostile h) {
        try {
            return client.send(h.request(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A project with data, a finished deletion and a finished retrieval whose link the generator tampers with. */
    private HostileRequests.Target seed() {
        LiveServer.Owned a = server.ownedProject("target");
        LiveServer.Owned b = server.ownedProject("bystander");
        for (LiveServer.Owned p : List.of(a, b)) {
            assertThat(server.http.postJson("/track", Json.write(List.of(
                    Map.of("event", "Signup", "properties", Map.of("token", p.token(), "distinct_id", "alice",
                            "time", 1_790_000_000L, "$device_id", "dev-1", "$user_id", "alice")),
                    Map.of("event", "Signup", "properties", Map.of("token", p.token(), "distinct_id", "bob",
                            "time", 1_790_000_001L)))), null).body()).isEqualTo("1");
            assertThat(server.http.postJson("/engage", Json.write(Map.of("$token", p.token(), "$distinct_id", "alice",
                    "$set", Map.of("plan", "pro"))), null).body()).isEqualTo("1");
        }
        String deletion = server.http.create(Http.DELETIONS, a.authorization(), a.token(), "carol");
        String retrieval = server.http.create(Http.RETRIEVALS, a.authorization(), a.token(), "alice");
        Engines.drain(server.app.engine());
        URI link = URI.create(server.http.check(Http.RETRIEVALS, a.authorization(), a.token(), retrieval).path("results").asText());
        Map<String, String> query = new TreeMap<>();
        for (String kv : link.getRawQuery().split("&")) {
            query.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
        }
        String file = link.getPath().substring("/downloads/".length());
        return new HostileRequests.Target(server.http, a.token(), a.apiSecret(), a.authorization(), b.token(), deletion, file,
                query.get("signature"), Long.parseLong(query.get("expires")));
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
