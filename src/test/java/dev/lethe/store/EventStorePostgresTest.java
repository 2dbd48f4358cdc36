package dev.lethe.store;

import dev.lethe.testing.StoreFixture;

class EventStorePostgresTest extends EventStoreContract {
    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
