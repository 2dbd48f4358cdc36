package dev.lethe.cli;

import dev.lethe.testing.StoreFixture;

class WebhookCliSqliteTest extends WebhookCliContract {
    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
