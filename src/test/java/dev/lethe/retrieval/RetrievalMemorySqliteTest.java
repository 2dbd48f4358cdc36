package dev.lethe.retrieval;

import dev.lethe.testing.StoreFixture;

class RetrievalMemorySqliteTest extends RetrievalMemoryContract {
    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
