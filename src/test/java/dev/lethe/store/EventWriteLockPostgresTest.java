package dev.lethe.store;

import dev.lethe.event.EventRecord;
import dev.lethe.event.EventStore;
import dev.lethe.testing.StoreFixture;
import dev.lethe.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL only (SQLite has one writer for the whole store): a deletion's final transaction holds back the event
 * inserts of its own project ({@link Tx#blockEventWrites}), and only those; another project's ingestion goes on.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EventWriteLockPostgresTest {

    @TempDir
    Path tmp;
    TestServer server;
    ExecutorService threads;

    @BeforeEach
    void start() {
        server = TestServer.start(StoreFixture.postgres(), tmp);
        threads = Executors.newFixedThreadPool(3);
    }

    @AfterEach
    void stop() {
        threads.shutdownNow();
        server.close();
    }

    private static List<EventRecord> one(String distinctId, String insertId) {
        return List.of(new EventRecord(distinctId, "Viewed", 1_790_000_000_000L, insertId, "track", "{}", 1_790_000_000_000L));
    }

    @Test
    void a_final_transaction_holds_back_its_own_project_s_inserts_and_no_other_s() throws Exception {
        long held = server.createProject("held").project().id();
        long other = server.createProject("other").project().id();
        EventStore events = server.app.events();
        Database db = server.app.db();
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<?> finalTransaction = threads.submit(() -> db.inTransaction(tx -> {
            tx.lockProjectErasure(held);
            tx.blockEventWrites(held);
            holding.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }));
        try {
            assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();

            // why: on another thread, so a lock that held it back fails the test instead of hanging it
            Future<Integer> otherProject = threads.submit(() -> events.insert(other, one("bob", "other-1")));
            assertThat(otherProject.get(20, TimeUnit.SECONDS)).as("another project's insert goes on").isEqualTo(1);

            Future<Integer> sameProject = threads.submit(() -> events.insert(held, one("ann", "held-1")));
            awaitAWaitingEventWriter(db);
            assertThat(sameProject.isDone()).as("the held project's insert waits").isFalse();

            release.countDown();
            finalTransaction.get(30, TimeUnit.SECONDS);
            assertThat(sameProject.get(30, TimeUnit.SECONDS)).as("and goes on once the final transaction ends").isEqualTo(1);
        } finally {
            release.countDown();
        }
    }

    /** Until a transaction waits for the event-writes lock (pg_locks: an advisory lock of its class, not granted). */
    private static void awaitAWaitingEventWriter(Database db) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            long waiting = db.withConnection(tx -> {
                try (PreparedStatement ps = tx.prepareStatement(
                        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND classid = ?::oid")) {
                    ps.setLong(1, PostgresDialect.EVENT_WRITES_LOCK_CLASS);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getLong(1);
                    }
                }
            });
            if (waiting > 0) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no insert waited for the event-writes lock");
    }
}
