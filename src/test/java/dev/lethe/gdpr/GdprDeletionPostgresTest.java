package dev.lethe.gdpr;

import dev.lethe.testing.StoreFixture;

class GdprDeletionPostgresTest extends GdprDeletionContract {
    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
