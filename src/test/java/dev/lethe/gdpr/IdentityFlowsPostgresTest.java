package dev.lethe.gdpr;

import dev.lethe.testing.StoreFixture;

class IdentityFlowsPostgresTest extends IdentityFlowsContract {
    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
