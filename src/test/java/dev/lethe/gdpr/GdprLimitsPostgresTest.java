package dev.lethe.gdpr;

import dev.lethe.testing.StoreFixture;

class GdprLimitsPostgresTest extends GdprLimitsContract {
    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
