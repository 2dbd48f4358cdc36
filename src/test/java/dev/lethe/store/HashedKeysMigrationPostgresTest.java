package dev.lethe.store;

import dev.lethe.testing.StoreFixture;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

class HashedKeysMigrationPostgresTest extends HashedKeysMigrationContract {

    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }

    @Override
    void emptyDatabase(StoreConfig config) throws Exception {
        try (Connection c = DriverManager.getConnection(config.jdbcUrl(), config.dbUser(), config.dbPassword());
             Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA public CASCADE");
            s.execute("CREATE SCHEMA public");
        }
    }

    @Override
    String json() {
        return "CAST(? AS jsonb)";
    }
}
