package dev.lethe.reliability;

import dev.lethe.testing.StoreFixture;

class PublicAttackPostgresTest extends PublicAttackContract {

    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
