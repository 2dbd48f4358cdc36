package dev.lethe.web.console;

import dev.lethe.testing.StoreFixture;

class ConsoleSignInPostgresTest extends ConsoleSignInContract {

    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
