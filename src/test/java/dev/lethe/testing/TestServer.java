package dev.lethe.testing;

import dev.lethe.app.LetheApp;
import dev.lethe.auth.Passwords;
import dev.lethe.config.LetheConfig;
import dev.lethe.web.HttpLimits;
import dev.lethe.project.ProjectStore;
import dev.lethe.project.Region;
import dev.lethe.store.StoreConfig;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;

/** A real Lethe instance on a free port over a real store, with a plain HTTP client. */
public final class TestServer implements AutoCloseable {

    public final LetheApp app;
    public final MutableClock clock;
    private final HttpClient http = TestHttp.client();

    private TestServer(LetheApp app, MutableClock clock) {
        this.app = app;
        this.clock = clock;
    }

    /** A minimum interval between rebuilds no test outlasts: tests compact with the compactor's own methods. */
    public static final Duration NO_BACKGROUND_COMPACTION = Duration.ofDays(36_500);

    /**
     * Argon2id at 64 KiB and one pass: the console's tests sign in and fail sign-ins dozens of times, and the
     * production cost (19 MiB, 2 passes; PasswordsTest pins it) takes half a second a hash in the tests' JVMs.
     */
    public static final Passwords.Cost CHEAP_PASSWORDS = new Passwords.Cost(64, 1);

    public static TestServer start(StoreFixture fixture, Path tempDir) {
        return start(fixture, tempDir, b -> b);
    }

    /** Starts with test defaults (port 0, loopback, no workers) changed by {@code tweak}. */
    public static TestServer start(StoreFixture fixture, Path tempDir, UnaryOperator<LetheConfig.Builder> tweak) {
        StoreConfig store = fixture.newStore(tempDir);
        // why: tests move the clock by days (archive expiry); a background rebuild must not start
        // in the middle of one, so the minimum interval is longer than any test moves it.
        LetheConfig config = tweak.apply(LetheConfig.builder(store).host("127.0.0.1").port(0).workers(0)
                .compactInterval(NO_BACKGROUND_COMPACTION)
                .passwordCost(CHEAP_PASSWORDS)
                // why: three forks on two cores can queue a request's handler for a second, which Jetty's minimum data
                // rate counts against the body; the slow-body attack tests set their own limits. A short idle time at
                // shutdown: browsers and SDKs keep connections open, and each close would wait a second for them.
                .http(new HttpLimits(HttpLimits.DEFAULT_HTTP_THREADS, Duration.ofSeconds(HttpLimits.DEFAULT_HTTP_READ_TIMEOUT_SECONDS), 0,
                        Duration.ofMillis(50))).rateLimit(1000).readRateLimit(1000)
                .exportRateLimit(1000).queryRateLimit(1000)).build();
        MutableClock clock = MutableClock.at("2026-11-28T09:15:02.118204Z");
        LetheApp app = new LetheApp(config, clock);
        app.start();
        return new TestServer(app, clock);
    }

    /** Closes this instance and opens a new one on the same store and clock, as after a process restart. */
    public TestServer restart() {
        return restartAfter(() -> { });
    }

    /** Like {@link #restart}, running {@code whileStopped} between the close and the reopening (restoring a backup). */
    public TestServer restartAfter(Runnable whileStopped) {
        app.close();
        whileStopped.run();
        LetheApp reopened = new LetheApp(app.config(), clock);
        reopened.start();
        return new TestServer(reopened, clock);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + app.port();
    }

    public URI uri(String pathAndQuery) {
        return URI.create(baseUrl() + pathAndQuery);
    }

    public ProjectStore.Created createProject(String name) {
        return app.projects().create(name, Region.US);
    }

    public HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(TestHttp.closing(request).timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).GET());
    }

    public HttpResponse<String> postJson(String pathAndQuery, String json) {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public HttpResponse<String> postForm(String pathAndQuery, String form) {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    @Override
    public void close() {
        app.close();
    }
}
