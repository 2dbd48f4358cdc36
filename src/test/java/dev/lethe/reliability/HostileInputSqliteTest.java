package dev.lethe.reliability;

import dev.lethe.testing.StoreFixture;

class HostileInputSqliteTest extends HostileInputContract {

    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
