package dev.lethe.task;

import dev.lethe.testing.StoreFixture;

class TaskEnginePostgresTest extends TaskEngineContract {
    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
