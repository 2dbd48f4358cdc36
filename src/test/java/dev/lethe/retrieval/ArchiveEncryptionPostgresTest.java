package dev.lethe.retrieval;

import dev.lethe.testing.StoreFixture;

class ArchiveEncryptionPostgresTest extends ArchiveEncryptionContract {
    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
