package dev.lethe.store;

import dev.lethe.testing.StoreFixture;

class ProfileStoreSqliteTest extends ProfileStoreContract {
    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
