package dev.lethe.store;

import dev.lethe.testing.StoreFixture;

class ErasurePlanPostgresTest extends ErasurePlanContract {

    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
