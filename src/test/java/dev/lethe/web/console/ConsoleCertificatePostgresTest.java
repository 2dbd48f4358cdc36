package dev.lethe.web.console;

import dev.lethe.testing.StoreFixture;

class ConsoleCertificatePostgresTest extends ConsoleCertificateContract {
    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
