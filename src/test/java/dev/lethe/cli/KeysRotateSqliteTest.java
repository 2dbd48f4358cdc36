package dev.lethe.cli;

import dev.lethe.testing.StoreFixture;

class KeysRotateSqliteTest extends KeysRotateContract {
    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
