package dev.lethe.webhook;

import dev.lethe.testing.StoreFixture;

class WebhookSqliteTest extends WebhookContract {
    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
