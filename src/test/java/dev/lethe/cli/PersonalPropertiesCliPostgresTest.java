package dev.lethe.cli;

import dev.lethe.testing.StoreFixture;

class PersonalPropertiesCliPostgresTest extends PersonalPropertiesCliContract {
    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
