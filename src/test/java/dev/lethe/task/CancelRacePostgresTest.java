package dev.lethe.task;

import dev.lethe.testing.StoreFixture;

class CancelRacePostgresTest extends CancelRaceContract {
    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
