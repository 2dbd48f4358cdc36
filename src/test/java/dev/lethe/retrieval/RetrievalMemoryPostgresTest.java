package dev.lethe.retrieval;

import dev.lethe.testing.StoreFixture;

class RetrievalMemoryPostgresTest extends RetrievalMemoryContract {
    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
