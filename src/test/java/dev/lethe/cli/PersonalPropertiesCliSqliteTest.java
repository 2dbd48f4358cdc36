package dev.lethe.cli;

import dev.lethe.testing.StoreFixture;

class PersonalPropertiesCliSqliteTest extends PersonalPropertiesCliContract {
    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
