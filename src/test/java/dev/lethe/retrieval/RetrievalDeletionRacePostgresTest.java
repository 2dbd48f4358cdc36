package dev.lethe.retrieval;

import dev.lethe.testing.StoreFixture;
import dev.lethe.testing.TestServer;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

class RetrievalDeletionRacePostgresTest extends RetrievalDeletionRaceContract {
    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }

    /** Waits until a session of this database queues for an advisory lock; fails if the deletion ends first. */
    @Override
    void awaitHeldBack(TestServer server, Future<?> deletion, Supplier<Thread> deleter) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!advisoryLockAwaited(server)) {
            try {
                deletion.get(20, TimeUnit.MILLISECONDS);
                fail("the deletion finished while the retrieval's final transaction was still open");
            } catch (TimeoutException stillRunning) {
                assertThat(System.nanoTime()).as("the deletion queued for the project's erasure lock").isLessThan(deadline);
            }
        }
    }

    private static boolean advisoryLockAwaited(TestServer server) {
        return server.app.db().withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database "
                    + "WHERE l.locktype = 'advisory' AND NOT l.granted AND d.datname = current_database()")) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1) > 0;
                }
            }
        });
    }
}
