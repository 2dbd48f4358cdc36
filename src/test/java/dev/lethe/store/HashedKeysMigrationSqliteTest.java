package dev.lethe.store;

import dev.lethe.testing.StoreFixture;

class HashedKeysMigrationSqliteTest extends HashedKeysMigrationContract {

    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }

    @Override
    void emptyDatabase(StoreConfig config) throws Exception {
        deleteFiles(config.dataDir());
    }

    @Override
    String json() {
        return "?";
    }
}
