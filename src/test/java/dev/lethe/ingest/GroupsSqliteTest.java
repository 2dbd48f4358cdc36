package dev.lethe.ingest;

import dev.lethe.testing.StoreFixture;

class GroupsSqliteTest extends GroupsContract {
    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
