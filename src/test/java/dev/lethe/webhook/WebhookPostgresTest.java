package dev.lethe.webhook;

import dev.lethe.testing.StoreFixture;

class WebhookPostgresTest extends WebhookContract {
    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
