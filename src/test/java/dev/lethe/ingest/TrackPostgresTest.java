package dev.lethe.ingest;

import dev.lethe.testing.StoreFixture;

class TrackPostgresTest extends TrackContract {
    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
