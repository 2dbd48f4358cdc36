package dev.lethe.cli;

import dev.lethe.testing.StoreFixture;

class AdminCommandsPostgresTest extends AdminCommandsContract {
    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
