package dev.lethe.ingest;

import dev.lethe.testing.StoreFixture;

class IdentityAndSuppressionPostgresTest extends IdentityAndSuppressionContract {
    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
