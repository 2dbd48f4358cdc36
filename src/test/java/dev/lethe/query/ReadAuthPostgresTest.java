package dev.lethe.query;

import dev.lethe.testing.StoreFixture;

class ReadAuthPostgresTest extends ReadAuthContract {
    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
