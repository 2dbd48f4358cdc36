package dev.lethe.retrieval;

import dev.lethe.testing.StoreFixture;
import dev.lethe.testing.TestServer;

import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetrievalDeletionRaceSqliteTest extends RetrievalDeletionRaceContract {
    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }

    /**
     * The deletion waits in SQLite's busy handler, which nothing outside can observe; so this
     * checks that it does not finish within a second, ample for 20 events when not held back.
     */
    @Override
    void awaitHeldBack(TestServer server, Future<?> deletion) {
        assertThatThrownBy(() -> deletion.get(1, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class);
    }
}
