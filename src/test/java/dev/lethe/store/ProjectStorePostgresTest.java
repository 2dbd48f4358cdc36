package dev.lethe.store;

import dev.lethe.testing.StoreFixture;

class ProjectStorePostgresTest extends ProjectStoreContract {
    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
