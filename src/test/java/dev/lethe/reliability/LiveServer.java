package dev.lethe.reliability;

import dev.lethe.app.LetheApp;
import dev.lethe.auth.Role;
import dev.lethe.config.LetheConfig;
import dev.lethe.project.ProjectStore;
import dev.lethe.project.Region;
import dev.lethe.store.StoreConfig;
import dev.lethe.testing.TestServer;

import java.time.Clock;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * A Lethe instance in this JVM on a loopback port with the clock a test chooses (the real one
 * when request times are compared with task times), plus an HTTP client for it.
 */
final class LiveServer implements AutoCloseable {

    /** A project with an owner calling through a bearer token. */
    record Owned(long id, String token, String apiSecret, String authorization) {
    }

    final LetheApp app;
    final Http http;

    private LiveServer(LetheApp app) {
        this.app = app;
        this.http = new Http("http://127.0.0.1:" + app.port());
    }

    /**
     * No workers and high GDPR rate limits unless {@code tweak} says otherwise. The store's pool has
     * a production server's size, whatever size the fixture chose: these tests load the server.
     */
    static LiveServer start(StoreConfig store, Clock clock, UnaryOperator<LetheConfig.Builder> tweak) {
        StoreConfig productionPool = store.withMaxPoolSize(StoreConfig.defaultPoolSize(store.kind()));
        LetheConfig config = tweak.apply(LetheConfig.builder(productionPool).host("127.0.0.1").port(0).workers(0)
                .rateLimit(10_000).readRateLimit(10_000).compactInterval(TestServer.NO_BACKGROUND_COMPACTION)).build();
        LetheApp app = new LetheApp(config, clock);
        app.start();
        return new LiveServer(app);
    }

    Owned ownedProject(String name) {
        ProjectStore.Created created = app.projects().create(name, Region.US);
        var user = app.users().create(name + "-owner@example.com");
        app.users().grant(user.id(), created.project().id(), Role.OWNER);
        String token = app.tokens().issue(user.id(), Duration.ofDays(365)).token();
        return new Owned(created.project().id(), created.project().token(), created.apiSecret(), Http.bearer(token));
    }

    @Override
    public void close() {
        app.close();
    }
}
