package dev.lethe.store;

import dev.lethe.testing.StoreFixture;

class SuppressionStoreSqliteTest extends SuppressionStoreContract {
    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
