package dev.lethe.ingest;

import dev.lethe.testing.StoreFixture;

class EngagePostgresTest extends EngageContract {
    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
