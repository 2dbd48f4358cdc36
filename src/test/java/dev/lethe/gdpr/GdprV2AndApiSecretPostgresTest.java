package dev.lethe.gdpr;

import dev.lethe.testing.StoreFixture;

class GdprV2AndApiSecretPostgresTest extends GdprV2AndApiSecretContract {

    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
