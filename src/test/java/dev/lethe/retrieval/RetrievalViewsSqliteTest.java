package dev.lethe.retrieval;

import dev.lethe.testing.StoreFixture;

class RetrievalViewsSqliteTest extends RetrievalViewsContract {
    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
