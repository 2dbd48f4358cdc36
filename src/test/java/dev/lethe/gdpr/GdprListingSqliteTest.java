package dev.lethe.gdpr;

import dev.lethe.testing.StoreFixture;

class GdprListingSqliteTest extends GdprListingContract {
    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
