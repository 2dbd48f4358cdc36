package dev.lethe.cli;

import dev.lethe.testing.StoreFixture;

class KeysRotatePostgresTest extends KeysRotateContract {
    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
