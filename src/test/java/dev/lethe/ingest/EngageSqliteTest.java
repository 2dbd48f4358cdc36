package dev.lethe.ingest;

import dev.lethe.testing.StoreFixture;

class EngageSqliteTest extends EngageContract {
    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
