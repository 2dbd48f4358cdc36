package dev.lethe.ingest;

import dev.lethe.testing.StoreFixture;

class LoadCommandPostgresTest extends LoadCommandContract {
    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
