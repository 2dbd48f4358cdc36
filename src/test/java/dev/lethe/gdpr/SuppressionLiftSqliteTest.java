package dev.lethe.gdpr;

import dev.lethe.testing.StoreFixture;

class SuppressionLiftSqliteTest extends SuppressionLiftContract {
    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
