package dev.lethe.web.console;

import dev.lethe.testing.StoreFixture;

class ConsoleCertificateSqliteTest extends ConsoleCertificateContract {
    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
