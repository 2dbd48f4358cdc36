package dev.lethe.web.console;

import dev.lethe.testing.StoreFixture;

class ConsoleRequestsSqliteTest extends ConsoleRequestsContract {

    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
