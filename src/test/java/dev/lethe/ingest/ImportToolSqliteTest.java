package dev.lethe.ingest;

import dev.lethe.testing.StoreFixture;

class ImportToolSqliteTest extends ImportToolContract {
    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
