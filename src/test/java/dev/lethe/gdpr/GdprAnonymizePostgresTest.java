package dev.lethe.gdpr;

import dev.lethe.testing.StoreFixture;

class GdprAnonymizePostgresTest extends GdprAnonymizeContract {
    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
