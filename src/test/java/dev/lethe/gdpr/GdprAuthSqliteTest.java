package dev.lethe.gdpr;

import dev.lethe.testing.StoreFixture;

class GdprAuthSqliteTest extends GdprAuthContract {
    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
