package dev.lethe.store;

import dev.lethe.testing.StoreFixture;

class TaskClaimPlanPostgresTest extends TaskClaimPlanContract {

    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
