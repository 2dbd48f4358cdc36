package dev.lethe.ingest;

import dev.lethe.testing.StoreFixture;

class TrackSqliteTest extends TrackContract {
    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
