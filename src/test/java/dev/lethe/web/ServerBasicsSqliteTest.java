package dev.lethe.web;

import dev.lethe.testing.StoreFixture;

class ServerBasicsSqliteTest extends ServerBasicsContract {
    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
