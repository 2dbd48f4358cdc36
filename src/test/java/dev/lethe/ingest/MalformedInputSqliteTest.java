package dev.lethe.ingest;

import dev.lethe.testing.StoreFixture;

class MalformedInputSqliteTest extends MalformedInputContract {
    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
