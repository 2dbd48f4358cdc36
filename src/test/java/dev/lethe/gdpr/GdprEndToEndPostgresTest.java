package dev.lethe.gdpr;

import dev.lethe.testing.StoreFixture;

class GdprEndToEndPostgresTest extends GdprEndToEndContract {
    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
