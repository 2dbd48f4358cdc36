package dev.lethe.gdpr;

import dev.lethe.testing.StoreFixture;

class GdprEndToEndSqliteTest extends GdprEndToEndContract {
    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
