package dev.lethe.web.console;

import dev.lethe.testing.StoreFixture;

class ConsoleRequestsPostgresTest extends ConsoleRequestsContract {

    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
