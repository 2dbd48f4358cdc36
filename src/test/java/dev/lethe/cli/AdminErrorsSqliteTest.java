package dev.lethe.cli;

import dev.lethe.testing.StoreFixture;

class AdminErrorsSqliteTest extends AdminErrorsContract {
    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
