package dev.lethe.query;

import dev.lethe.testing.StoreFixture;

class EngageQueryPostgresTest extends EngageQueryContract {
    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
