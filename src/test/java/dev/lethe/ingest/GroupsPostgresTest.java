package dev.lethe.ingest;

import dev.lethe.testing.StoreFixture;

class GroupsPostgresTest extends GroupsContract {
    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
