package dev.lethe.web.console;

import dev.lethe.testing.StoreFixture;

class ConsoleBrowserPostgresTest extends ConsoleBrowserContract {

    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
