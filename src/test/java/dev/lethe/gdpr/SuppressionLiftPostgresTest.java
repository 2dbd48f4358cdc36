package dev.lethe.gdpr;

import dev.lethe.testing.StoreFixture;

class SuppressionLiftPostgresTest extends SuppressionLiftContract {
    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
