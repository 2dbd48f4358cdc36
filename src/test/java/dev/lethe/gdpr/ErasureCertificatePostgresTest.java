package dev.lethe.gdpr;

import dev.lethe.testing.StoreFixture;

class ErasureCertificatePostgresTest extends ErasureCertificateContract {
    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }

    @Override
    String scrubStep() {
        return "key_bucket_vacuum_full";
    }
}
