package dev.lethe.gdpr;

import dev.lethe.testing.StoreFixture;

class GdprAuthCachePostgresTest extends GdprAuthCacheContract {
    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
