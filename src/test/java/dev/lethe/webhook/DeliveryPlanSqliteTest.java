package dev.lethe.webhook;

import dev.lethe.testing.StoreFixture;

class DeliveryPlanSqliteTest extends DeliveryPlanContract {

    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
