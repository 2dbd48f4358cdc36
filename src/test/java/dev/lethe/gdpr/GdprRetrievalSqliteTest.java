package dev.lethe.gdpr;

import dev.lethe.testing.StoreFixture;

class GdprRetrievalSqliteTest extends GdprRetrievalContract {
    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
