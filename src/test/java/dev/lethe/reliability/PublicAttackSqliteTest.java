package dev.lethe.reliability;

import dev.lethe.testing.StoreFixture;

class PublicAttackSqliteTest extends PublicAttackContract {

    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
