package dev.lethe.gdpr;

import dev.lethe.testing.StoreFixture;

class GdprWebhookPostgresTest extends GdprWebhookContract {
    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
