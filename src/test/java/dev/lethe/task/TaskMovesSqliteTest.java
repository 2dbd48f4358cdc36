package dev.lethe.task;

import dev.lethe.testing.StoreFixture;

class TaskMovesSqliteTest extends TaskMovesContract {
    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
