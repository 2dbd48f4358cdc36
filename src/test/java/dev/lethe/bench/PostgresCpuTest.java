package dev.lethe.bench;

import dev.lethe.store.Database;
import dev.lethe.store.StoreConfig;
import dev.lethe.testing.PostgresFixture;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;

/** The bench adds the CPU of a PostgreSQL server on this machine to a deletion's, and of no other server. */
class PostgresCpuTest {

    @TempDir
    Path tmp;

    @Test
    void only_a_server_on_the_loopback_interface_is_measured() {
        assertThat(PostgresCpu.local("jdbc:postgresql://127.0.0.1:5432/lethe")).isTrue();
        assertThat(PostgresCpu.local("jdbc:postgresql://localhost/lethe?sslmode=disable")).isTrue();
        assertThat(PostgresCpu.local("jdbc:postgresql://db.internal:5432/lethe")).isFalse();
        assertThat(PostgresCpu.local("jdbc:sqlite:/tmp/lethe.db")).isFalse();
        assertThat(PostgresCpu.local(null)).isFalse();
    }

    @Test
    void a_query_s_work_in_its_backend_shows_in_the_server_s_cpu_time() {
        StoreConfig store = new PostgresFixture().newStore(tmp);
        // why: LETHE_TEST_PG_URL may name a server elsewhere, whose processes this machine cannot see
        Assumptions.assumeTrue(PostgresCpu.local(store.jdbcUrl()), "the test server is not on this machine");
        try (Database db = Database.open(store)) {
            OptionalDouble before = PostgresCpu.seconds();
            long rows = db.withConnection(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT count(*) FROM generate_series(1, 1500000) g WHERE md5(g::text) LIKE 'a%'");
                     ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
            OptionalDouble after = PostgresCpu.seconds();

            assertThat(rows).isPositive();
            assertThat(before).as("the test server runs on this machine").isPresent();
            assertThat(after.getAsDouble() - before.getAsDouble()).as("CPU seconds of the query's backend")
                    .isGreaterThan(0.05);
        }
    }
}
