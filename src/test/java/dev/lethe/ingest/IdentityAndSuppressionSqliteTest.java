package dev.lethe.ingest;

import dev.lethe.testing.StoreFixture;

class IdentityAndSuppressionSqliteTest extends IdentityAndSuppressionContract {
    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
