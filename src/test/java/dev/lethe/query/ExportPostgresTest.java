package dev.lethe.query;

import dev.lethe.testing.StoreFixture;

class ExportPostgresTest extends ExportContract {
    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
