package dev.lethe.ingest;

import dev.lethe.testing.StoreFixture;

class ImportPostgresTest extends ImportContract {
    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
