package dev.lethe.reliability;

import dev.lethe.testing.StoreFixture;

class IsolationSqliteTest extends IsolationContract {

    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
