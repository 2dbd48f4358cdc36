package dev.lethe.gdpr;

import dev.lethe.testing.StoreFixture;

class GdprRetrievalPostgresTest extends GdprRetrievalContract {
    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
