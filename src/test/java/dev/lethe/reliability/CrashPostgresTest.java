package dev.lethe.reliability;

import dev.lethe.testing.StoreFixture;

class CrashPostgresTest extends CrashContract {

    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
