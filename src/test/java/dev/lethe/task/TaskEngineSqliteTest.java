package dev.lethe.task;

import dev.lethe.testing.StoreFixture;

class TaskEngineSqliteTest extends TaskEngineContract {
    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
