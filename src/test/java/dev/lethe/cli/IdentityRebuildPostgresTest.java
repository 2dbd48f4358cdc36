package dev.lethe.cli;

import dev.lethe.testing.StoreFixture;

class IdentityRebuildPostgresTest extends IdentityRebuildContract {
    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
