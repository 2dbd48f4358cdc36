package dev.lethe.gdpr;

import dev.lethe.testing.StoreFixture;

class ErasureCertificateSqliteTest extends ErasureCertificateContract {
    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }

    @Override
    String scrubStep() {
        return "keystore_wal_checkpoint_truncate";
    }
}
