package dev.lethe.cli;

import dev.lethe.testing.StoreFixture;

class IdentityRebuildSqliteTest extends IdentityRebuildContract {
    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
