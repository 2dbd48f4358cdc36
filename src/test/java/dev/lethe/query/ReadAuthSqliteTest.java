package dev.lethe.query;

import dev.lethe.testing.StoreFixture;

class ReadAuthSqliteTest extends ReadAuthContract {
    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
