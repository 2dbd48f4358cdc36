package dev.lethe.cli;

import dev.lethe.testing.StoreFixture;

class AdminErrorsPostgresTest extends AdminErrorsContract {
    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
