package dev.lethe.web;

import dev.lethe.testing.StoreFixture;

class ObservabilityPostgresTest extends ObservabilityContract {
    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
