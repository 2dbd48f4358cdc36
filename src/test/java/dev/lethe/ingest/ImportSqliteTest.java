package dev.lethe.ingest;

import dev.lethe.testing.StoreFixture;

class ImportSqliteTest extends ImportContract {
    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
