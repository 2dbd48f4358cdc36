package dev.lethe.store;

import dev.lethe.testing.StoreFixture;

class GroupProfileStoreSqliteTest extends GroupProfileStoreContract {
    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
