package dev.lethe.web.console;

import dev.lethe.testing.StoreFixture;

class AuditLogPostgresTest extends AuditLogContract {

    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
