package dev.lethe.cli;

import dev.lethe.testing.StoreFixture;

class WebhookCliPostgresTest extends WebhookCliContract {
    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
