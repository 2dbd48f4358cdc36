package dev.lethe.retrieval;

import dev.lethe.store.Database;
import dev.lethe.testing.StoreFixture;
import dev.lethe.testing.TestServer;
import dev.lethe.testing.WriterTurns;

import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

class RetrievalDeletionRaceSqliteTest extends RetrievalDeletionRaceContract {
    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }

    /**
     * Waits until the deletion's thread is parked in the store's queue for this process's turn at
     * the write lock (its writer queue), which the retrieval's open transaction holds (see {@link Database}); fails
     * if the deletion ends first.
     */
    @Override
    void awaitHeldBack(TestServer server, Future<?> deletion, Supplier<Thread> deleter) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!WriterTurns.queued(deleter.get())) {
            try {
                deletion.get(5, TimeUnit.MILLISECONDS);
                fail("the deletion finished while the retrieval's final transaction was still open");
            } catch (TimeoutException stillRunning) {
                assertThat(System.nanoTime()).as("the deletion queued for the store's write lock").isLessThan(deadline);
            }
        }
    }
}
