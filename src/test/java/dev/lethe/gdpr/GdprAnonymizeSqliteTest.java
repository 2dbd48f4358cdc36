package dev.lethe.gdpr;

import dev.lethe.testing.StoreFixture;

class GdprAnonymizeSqliteTest extends GdprAnonymizeContract {
    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
