package dev.lethe.store;

import dev.lethe.testing.StoreFixture;

class TaskClaimPlanSqliteTest extends TaskClaimPlanContract {

    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
