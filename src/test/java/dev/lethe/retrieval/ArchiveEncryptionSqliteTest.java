package dev.lethe.retrieval;

import dev.lethe.testing.StoreFixture;

class ArchiveEncryptionSqliteTest extends ArchiveEncryptionContract {
    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
