package dev.lethe.reliability;

import dev.lethe.testing.StoreFixture;

class HostileInputPostgresTest extends HostileInputContract {

    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
