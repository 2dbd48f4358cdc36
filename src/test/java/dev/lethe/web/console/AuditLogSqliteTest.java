package dev.lethe.web.console;

import dev.lethe.testing.StoreFixture;

class AuditLogSqliteTest extends AuditLogContract {

    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
