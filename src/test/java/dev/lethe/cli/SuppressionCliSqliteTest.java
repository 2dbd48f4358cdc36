package dev.lethe.cli;

import dev.lethe.testing.StoreFixture;

class SuppressionCliSqliteTest extends SuppressionCliContract {
    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
