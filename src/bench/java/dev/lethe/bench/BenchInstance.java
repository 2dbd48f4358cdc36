package dev.lethe.bench;

import dev.lethe.app.LetheApp;
import dev.lethe.auth.Role;
import dev.lethe.auth.UserStore;
import dev.lethe.config.LetheConfig;
import dev.lethe.project.ProjectStore;
import dev.lethe.project.Region;
import dev.lethe.store.StoreConfig;
import dev.lethe.store.StoreKind;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/**
 * A real Lethe instance in this process on a free port: workers, high rate limits and queue
 * cap so the benchmark measures the work and not the admission limits.
 */
final class BenchInstance implements AutoCloseable {

    /** The project the figures are taken on and the credentials to reach it. */
    record Project(long id, String token, String apiSecret, String gdprToken) {
    }

    final LetheApp app;

    private BenchInstance(LetheApp app) {
        this.app = app;
    }

    static BenchInstance start(StoreConfig store, int workers) {
        LetheConfig config = LetheConfig.builder(store).host("127.0.0.1").port(0).workers(Math.max(2, workers))
                .rateLimit(1_000_000).readRateLimit(1_000_000).exportRateLimit(1_000_000).queryRateLimit(1_000_000)
                .maxQueuedTasks(1_000_000).build();
        LetheApp app = new LetheApp(config, Clock.systemUTC());
        app.start();
        return new BenchInstance(app);
    }

    /** Creates a project with an owner holding a GDPR token, as {@code lethe admin} would. */
    Project createProject(String name) {
        ProjectStore.Created created = app.projects().create(name, Region.US);
        UserStore.User owner = app.users().create(name + "-owner@bench.lethe.local");
        app.users().grant(owner.id(), created.project().id(), Role.OWNER);
        String token = app.tokens().issue(owner.id(), Duration.ofDays(1)).token();
        return new Project(created.project().id(), created.project().token(), created.apiSecret(), token);
    }

    /**
     * Lets a freshly loaded PostgreSQL store settle before deletions are timed: one {@code VACUUM ANALYZE}
     * does what autovacuum would otherwise do during the timed deletions (set the visibility map and
     * hint bits of every loaded page, analyze), and a worker of it in the way of a deletion's locks is
     * cancelled only after {@code deadlock_timeout}. A store in service is past this; the figure is
     * about what one more deletion costs. Nothing to do on SQLite.
     */
    void settle() {
        if (app.db().kind() == StoreKind.POSTGRES) {
            app.db().withConnection(tx -> {
                try (var s = tx.createStatement()) {
                    s.execute("VACUUM ANALYZE");
                }
                return null;
            });
        }
    }

    /** @param retries where the client counts the requests it retried after a 503 or 429 */
    BenchHttp http(Project project, LongAdder retries) {
        return new BenchHttp("http://127.0.0.1:" + app.port(), project.token(), project.gdprToken(), retries);
    }

    @Override
    public void close() {
        app.close();
    }
}
