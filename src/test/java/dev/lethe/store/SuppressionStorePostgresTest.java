package dev.lethe.store;

import dev.lethe.testing.StoreFixture;

class SuppressionStorePostgresTest extends SuppressionStoreContract {
    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
