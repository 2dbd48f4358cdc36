package dev.lethe.gdpr;

import dev.lethe.testing.StoreFixture;

class GdprAuthPostgresTest extends GdprAuthContract {
    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
