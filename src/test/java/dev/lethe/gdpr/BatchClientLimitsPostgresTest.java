package dev.lethe.gdpr;

import dev.lethe.testing.StoreFixture;

class BatchClientLimitsPostgresTest extends BatchClientLimitsContract {

    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
