package dev.lethe.deletion;

import dev.lethe.testing.StoreFixture;

class DeletionSqliteTest extends DeletionContract {
    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
