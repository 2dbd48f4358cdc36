package dev.lethe.store;

import dev.lethe.testing.StoreFixture;

class GroupProfileStorePostgresTest extends GroupProfileStoreContract {
    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
