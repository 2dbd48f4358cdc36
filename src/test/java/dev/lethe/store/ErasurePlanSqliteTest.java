package dev.lethe.store;

import dev.lethe.testing.StoreFixture;

class ErasurePlanSqliteTest extends ErasurePlanContract {

    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
