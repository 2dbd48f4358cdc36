package dev.lethe.task;

import dev.lethe.testing.StoreFixture;

class CancelRaceSqliteTest extends CancelRaceContract {
    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
