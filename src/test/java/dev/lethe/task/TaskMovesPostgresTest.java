package dev.lethe.task;

import dev.lethe.testing.StoreFixture;

class TaskMovesPostgresTest extends TaskMovesContract {
    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
