package dev.lethe.gdpr;

import dev.lethe.testing.StoreFixture;

class GdprListingPostgresTest extends GdprListingContract {
    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
