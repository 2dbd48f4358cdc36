package dev.lethe.store;

import dev.lethe.testing.StoreFixture;

class IdentityStoreSqliteTest extends IdentityStoreContract {
    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
