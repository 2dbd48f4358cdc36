package dev.lethe.ingest;

import dev.lethe.testing.StoreFixture;

class MalformedInputPostgresTest extends MalformedInputContract {
    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
