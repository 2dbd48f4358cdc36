package dev.lethe.retrieval;

import dev.lethe.testing.StoreFixture;

class RetrievalPostgresTest extends RetrievalContract {
    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
