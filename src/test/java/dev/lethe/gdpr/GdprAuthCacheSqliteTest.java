package dev.lethe.gdpr;

import dev.lethe.testing.StoreFixture;

class GdprAuthCacheSqliteTest extends GdprAuthCacheContract {
    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
