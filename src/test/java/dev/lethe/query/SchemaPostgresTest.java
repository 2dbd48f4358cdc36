package dev.lethe.query;

import dev.lethe.testing.StoreFixture;

class SchemaPostgresTest extends SchemaContract {
    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
