package dev.lethe.reliability;

import dev.lethe.testing.StoreFixture;

class LoadPostgresTest extends LoadContract {

    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
