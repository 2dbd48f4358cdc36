package dev.lethe.cli;

import dev.lethe.crypto.Secrets;
import dev.lethe.testing.StoreFixture;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AdminCommandsPostgresTest extends AdminCommandsContract {
    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }

    /** The counterpart of the SQLite file check: every row of every table of the database, as text. */
    @Test
    void the_database_holds_hashes_never_the_secrets_shown() throws SQLException {
        String apiSecret = cli.ok("project", "create", "--name", "Shop").get("api_secret").asText();
        cli.ok("user", "create", "--email", "dpo@example.com");
        String token = cli.ok("token", "issue", "--email", "dpo@example.com").get("token").asText();
        String saSecret = cli.ok("service-account", "create", "--name", "ci", "--project", "1", "--role", "admin")
                .get("secret").asText();

        String rows = allRows();
        // why: finding the hashes proves we read the tables the secrets would have gone to.
        assertThat(rows).contains(Secrets.sha256Hex(token), Secrets.sha256Hex(apiSecret), Secrets.sha256Hex(saSecret));
        assertThat(rows).doesNotContain(token).doesNotContain(apiSecret).doesNotContain(saSecret);
    }

    private String allRows() throws SQLException {
        StringBuilder all = new StringBuilder();
        try (Connection c = DriverManager.getConnection(config.jdbcUrl(), config.dbUser(), config.dbPassword());
             Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = current_schema()")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            assertThat(tables).contains("projects", "gdpr_tokens", "service_accounts");
            for (String table : tables) {
                // why: table names come from the catalog, quoted by quote_ident; there is nothing to bind.
                try (ResultSet rs = s.executeQuery("SELECT t::text FROM " + table + " t")) {
                    while (rs.next()) {
                        all.append(rs.getString(1)).append('\n');
                    }
                }
            }
        }
        return all.toString();
    }
}
