package dev.lethe.query;

import dev.lethe.testing.StoreFixture;

class ExportSqliteTest extends ExportContract {
    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
