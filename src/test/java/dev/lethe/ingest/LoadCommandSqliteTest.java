package dev.lethe.ingest;

import dev.lethe.testing.StoreFixture;

class LoadCommandSqliteTest extends LoadCommandContract {
    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
