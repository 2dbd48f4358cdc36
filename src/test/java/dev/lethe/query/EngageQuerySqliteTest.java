package dev.lethe.query;

import dev.lethe.testing.StoreFixture;

class EngageQuerySqliteTest extends EngageQueryContract {
    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
