package dev.lethe.query;

import dev.lethe.testing.StoreFixture;

class SchemaSqliteTest extends SchemaContract {
    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
