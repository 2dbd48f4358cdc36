package dev.lethe.query;

import dev.lethe.testing.StoreFixture;

class ExportToolPostgresTest extends ExportToolContract {
    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
