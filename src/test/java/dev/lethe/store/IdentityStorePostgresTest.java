package dev.lethe.store;

import dev.lethe.testing.StoreFixture;

class IdentityStorePostgresTest extends IdentityStoreContract {
    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
