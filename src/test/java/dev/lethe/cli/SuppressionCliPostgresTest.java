package dev.lethe.cli;

import dev.lethe.testing.StoreFixture;

class SuppressionCliPostgresTest extends SuppressionCliContract {
    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
