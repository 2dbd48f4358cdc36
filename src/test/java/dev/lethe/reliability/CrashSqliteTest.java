package dev.lethe.reliability;

import dev.lethe.testing.StoreFixture;

class CrashSqliteTest extends CrashContract {

    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
