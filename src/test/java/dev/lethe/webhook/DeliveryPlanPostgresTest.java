package dev.lethe.webhook;

import dev.lethe.testing.StoreFixture;

class DeliveryPlanPostgresTest extends DeliveryPlanContract {

    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
