package dev.lethe.web.console;

import dev.lethe.testing.StoreFixture;

class ConsoleSignInSqliteTest extends ConsoleSignInContract {

    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
