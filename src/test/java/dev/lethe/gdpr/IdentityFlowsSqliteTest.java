package dev.lethe.gdpr;

import dev.lethe.testing.StoreFixture;

class IdentityFlowsSqliteTest extends IdentityFlowsContract {
    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
