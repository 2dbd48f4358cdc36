package dev.lethe.reliability;

import dev.lethe.testing.StoreFixture;

class ConcurrencyPostgresTest extends ConcurrencyContract {

    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
