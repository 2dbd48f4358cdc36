package dev.lethe.web.console;

import dev.lethe.testing.StoreFixture;

class ConsoleBrowserSqliteTest extends ConsoleBrowserContract {

    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
