package dev.lethe.gdpr;

import dev.lethe.testing.StoreFixture;

class GdprV2AndApiSecretSqliteTest extends GdprV2AndApiSecretContract {

    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
