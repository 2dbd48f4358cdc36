package dev.lethe.retrieval;

import dev.lethe.testing.StoreFixture;

class RetrievalSqliteTest extends RetrievalContract {
    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
