package dev.lethe.reliability;

import dev.lethe.testing.StoreFixture;

class ConcurrencySqliteTest extends ConcurrencyContract {

    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
