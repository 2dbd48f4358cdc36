package dev.lethe.store;

import dev.lethe.testing.StoreFixture;

class ProfileStorePostgresTest extends ProfileStoreContract {
    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
