package dev.lethe.ingest;

import dev.lethe.testing.StoreFixture;

class ImportToolPostgresTest extends ImportToolContract {
    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
