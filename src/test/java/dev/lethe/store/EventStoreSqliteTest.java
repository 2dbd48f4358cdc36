package dev.lethe.store;

import dev.lethe.testing.StoreFixture;

class EventStoreSqliteTest extends EventStoreContract {
    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
