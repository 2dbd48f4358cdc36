package dev.lethe.deletion;

import dev.lethe.testing.StoreFixture;

class AnonymizationPostgresTest extends AnonymizationContract {
    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
