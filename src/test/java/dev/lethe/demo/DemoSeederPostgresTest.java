package dev.lethe.demo;

import dev.lethe.testing.StoreFixture;

class DemoSeederPostgresTest extends DemoSeederContract {
    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
