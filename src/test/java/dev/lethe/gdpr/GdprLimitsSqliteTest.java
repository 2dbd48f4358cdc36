package dev.lethe.gdpr;

import dev.lethe.testing.StoreFixture;

class GdprLimitsSqliteTest extends GdprLimitsContract {
    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
