package dev.lethe.web;

import dev.lethe.testing.StoreFixture;

class ObservabilitySqliteTest extends ObservabilityContract {
    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
