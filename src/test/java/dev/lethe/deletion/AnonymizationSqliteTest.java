package dev.lethe.deletion;

import dev.lethe.testing.StoreFixture;

class AnonymizationSqliteTest extends AnonymizationContract {
    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
