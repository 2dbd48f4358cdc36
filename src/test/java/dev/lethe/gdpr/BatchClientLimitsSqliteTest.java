package dev.lethe.gdpr;

import dev.lethe.testing.StoreFixture;

class BatchClientLimitsSqliteTest extends BatchClientLimitsContract {

    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
