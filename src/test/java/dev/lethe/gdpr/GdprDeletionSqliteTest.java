package dev.lethe.gdpr;

import dev.lethe.testing.StoreFixture;

class GdprDeletionSqliteTest extends GdprDeletionContract {
    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
