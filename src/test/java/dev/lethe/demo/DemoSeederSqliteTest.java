package dev.lethe.demo;

import dev.lethe.testing.StoreFixture;

class DemoSeederSqliteTest extends DemoSeederContract {
    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
