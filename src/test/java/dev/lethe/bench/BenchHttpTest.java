package dev.lethe.bench;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The benchmark's client retries 503 and 429 after their Retry-After, and counts it. */
class BenchHttpTest {

    private record Answer(int status, String retryAfter, String body) {
    }

    private final Deque<Answer> answers = new ArrayDeque<>();
    private final LongAdder retries = new LongAdder();
    private int requests;
    private HttpServer server;

    private BenchHttp client() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            Answer a;
            synchronized (answers) {
                requests++;
                a = answers.isEmpty() ? new Answer(500, null, "{}") : answers.poll();
            }
            if (a.retryAfter() != null) {
                exchange.getResponseHeaders().add("Retry-After", a.retryAfter());
            }
            byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(a.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return new BenchHttp("http://127.0.0.1:" + server.getAddress().getPort(), "tok", "gdpr", retries);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void a_503_and_a_429_are_retried_and_counted_until_the_task_is_created() throws IOException {
        answers.add(new Answer(503, "0", "{\"status\":\"error\",\"error\":\"the task store is unavailable; retry later\"}"));
        answers.add(new Answer(429, "0", "{\"status\":\"error\",\"error\":\"rate limit\"}"));
        answers.add(new Answer(201, null, "{\"status\":\"ok\",\"results\":{\"task_id\":\"t1\",\"tracking_id\":\"t1\"}}"));
        assertThat(client().create(BenchHttp.DELETIONS, List.of("alice"))).isEqualTo("t1");
        assertThat(requests).isEqualTo(3);
        assertThat(retries.sum()).isEqualTo(2);
    }

    @Test
    void other_errors_are_not_retried() throws IOException {
        answers.add(new Answer(400, null, "{\"status\":\"error\",\"error\":\"bad\"}"));
        BenchHttp http = client();
        assertThatThrownBy(() -> http.create(BenchHttp.DELETIONS, List.of("alice"))).hasMessageContaining("answered 400");
        assertThat(requests).isEqualTo(1);
        assertThat(retries.sum()).isZero();
    }

    @Test
    void a_retry_after_beyond_the_budget_gives_up_at_once_with_the_answer() throws IOException {
        answers.add(new Answer(503, Long.toString(BenchHttp.RETRY_BUDGET.toSeconds() + 1), "{\"status\":\"error\",\"error\":\"busy\"}"));
        BenchHttp http = client();
        assertThatThrownBy(() -> http.create(BenchHttp.DELETIONS, List.of("alice"))).hasMessageContaining("answered 503");
        assertThat(requests).isEqualTo(1);
        assertThat(retries.sum()).isZero();
    }

    @Test
    void retry_after_in_seconds_is_honoured_and_anything_else_waits_the_default() {
        assertThat(BenchHttp.retryDelay(Optional.of("5"))).isEqualTo(Duration.ofSeconds(5));
        assertThat(BenchHttp.retryDelay(Optional.of(" 0 "))).isEqualTo(Duration.ZERO);
        assertThat(BenchHttp.retryDelay(Optional.empty())).isEqualTo(BenchHttp.DEFAULT_RETRY_AFTER);
        assertThat(BenchHttp.retryDelay(Optional.of("-3"))).isEqualTo(BenchHttp.DEFAULT_RETRY_AFTER);
        assertThat(BenchHttp.retryDelay(Optional.of("Wed, 21 Oct 2026 07:28:00 GMT"))).isEqualTo(BenchHttp.DEFAULT_RETRY_AFTER);
    }
}
