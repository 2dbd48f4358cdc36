package dev.lethe.query;

import dev.lethe.testing.StoreFixture;

class ExportToolSqliteTest extends ExportToolContract {
    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
