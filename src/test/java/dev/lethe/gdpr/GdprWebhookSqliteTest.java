package dev.lethe.gdpr;

import dev.lethe.testing.StoreFixture;

class GdprWebhookSqliteTest extends GdprWebhookContract {
    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
