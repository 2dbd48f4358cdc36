package dev.lethe.web;

import dev.lethe.testing.StoreFixture;

class ServerBasicsPostgresTest extends ServerBasicsContract {
    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
