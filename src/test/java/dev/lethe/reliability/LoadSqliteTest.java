package dev.lethe.reliability;

import dev.lethe.testing.StoreFixture;

class LoadSqliteTest extends LoadContract {

    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
