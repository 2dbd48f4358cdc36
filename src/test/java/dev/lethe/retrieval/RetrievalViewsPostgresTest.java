package dev.lethe.retrieval;

import dev.lethe.testing.StoreFixture;

class RetrievalViewsPostgresTest extends RetrievalViewsContract {
    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
