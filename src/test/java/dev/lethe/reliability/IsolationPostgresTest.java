package dev.lethe.reliability;

import dev.lethe.testing.StoreFixture;

class IsolationPostgresTest extends IsolationContract {

    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
