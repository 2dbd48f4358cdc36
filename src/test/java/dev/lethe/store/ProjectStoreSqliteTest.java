package dev.lethe.store;

import dev.lethe.testing.StoreFixture;

class ProjectStoreSqliteTest extends ProjectStoreContract {
    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
