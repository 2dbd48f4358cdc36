package dev.lethe.deletion;

import dev.lethe.testing.StoreFixture;

class DeletionPostgresTest extends DeletionContract {
    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
