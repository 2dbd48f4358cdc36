package dev.lethe.store;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link StatementCache} on a real SQLite file in WAL mode: reuse, nesting, reset on close, eviction. */
class StatementCacheTest {

    private static final String BY_ID = "SELECT v FROM t WHERE id = ?";

    @TempDir
    Path tmp;
    Connection c;
    final StatementCache cache = new StatementCache();

    @BeforeEach
    void open() throws SQLException {
        c = connect();
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode = WAL");
            s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
            for (int i = 1; i <= 50; i++) {
                s.execute("INSERT INTO t (id, v) VALUES (" + i + ", 'v" + i + "')");
            }
        }
    }

    @AfterEach
    void close() throws SQLException {
        c.close();
    }

    @Test
    void the_dialect_hands_out_the_cached_statement_of_a_query_and_of_an_insert_alike() throws SQLException {
        SqliteDialect dialect = new SqliteDialect(1_000, tmp.resolve("unused.db"));
        String insert = "INSERT INTO t (id, v) VALUES (?, ?)";
        PreparedStatement first;
        try (PreparedStatement ps = dialect.prepare(c, insert)) {
            first = ps;
            ps.setInt(1, 300);
            ps.setString(2, "a");
            ps.addBatch();
            ps.executeBatch();
        }
        try (PreparedStatement ps = dialect.prepare(c, insert)) {
            assertThat(ps).as("the same statement, not prepared again").isSameAs(first);
            ps.setInt(1, 301);
            ps.setString(2, "b");
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        assertThat(dialect.prepare(c, BY_ID)).isNotSameAs(first);
    }

    @Test
    void a_batch_insert_gets_a_statement_of_its_own_each_time_past_the_cache() throws SQLException {
        Tx tx = new Tx(c, new SqliteDialect(1_000, tmp.resolve("unused.db")), null, null);
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE events (x)");
        }
        String insert = "INSERT INTO events (x) VALUES (?)";
        PreparedStatement first = tx.prepareForBatch(insert);
        first.close();
        try (PreparedStatement again = tx.prepareForBatch(insert)) {
            assertThat(again).isNotSameAs(first);
            assertThat(first.isClosed()).as("finalized on close, not kept").isTrue();
        }
    }

    @Test
    void a_caller_that_kept_the_statement_past_its_close_cannot_run_it_under_the_next_caller() throws SQLException {
        PreparedStatement stale = cache.prepare(c, "INSERT INTO t (id, v) VALUES (?, ?)");
        stale.close();
        try (PreparedStatement next = cache.prepare(c, "INSERT INTO t (id, v) VALUES (?, ?)")) {
            next.setInt(1, 400);
            next.setString(2, "next");
            next.addBatch();
            next.executeBatch();
        }
        assertThatThrownBy(stale::executeBatch).isInstanceOf(SQLException.class);
        assertThatThrownBy(stale::addBatch).isInstanceOf(SQLException.class);
        assertThatThrownBy(stale::executeUpdate).isInstanceOf(SQLException.class);
        assertThatThrownBy(stale::execute).isInstanceOf(SQLException.class);
        assertThat(valueOf(400)).isEqualTo("next");
    }

    @Test
    void a_statement_closed_by_its_caller_is_prepared_once_and_used_again_with_new_parameters() throws SQLException {
        assertThat(valueOf(5)).isEqualTo("v5");
        assertThat(valueOf(7)).isEqualTo("v7");
        assertThat(cache.prepared()).isEqualTo(1);
        try (PreparedStatement ps = cache.prepare(c, BY_ID); ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).as("the last caller's parameter was cleared, so id = NULL matches nothing").isFalse();
        }
    }

    @Test
    void the_same_query_nested_in_its_own_results_gets_a_statement_of_its_own() throws SQLException {
        List<String> pairs = new ArrayList<>();
        try (PreparedStatement outer = cache.prepare(c, "SELECT id FROM t WHERE id <= ? ORDER BY id")) {
            outer.setInt(1, 3);
            try (ResultSet rs = outer.executeQuery()) {
                while (rs.next()) {
                    try (PreparedStatement inner = cache.prepare(c, "SELECT id FROM t WHERE id <= ? ORDER BY id")) {
                        inner.setInt(1, 2);
                        try (ResultSet in = inner.executeQuery()) {
                            while (in.next()) {
                                pairs.add(rs.getInt(1) + "-" + in.getInt(1));
                            }
                        }
                    }
                }
            }
        }
        assertThat(pairs).containsExactly("1-1", "1-2", "2-1", "2-2", "3-1", "3-2");
        assertThat(cache.prepared()).as("the outer once, the inner afresh for each outer row").isEqualTo(4);
    }

    @Test
    void closing_the_statement_with_its_results_half_read_ends_the_read_so_a_checkpoint_completes() throws SQLException {
        PreparedStatement ps = cache.prepare(c, "SELECT v FROM t ORDER BY id");
        ResultSet rs = ps.executeQuery();
        assertThat(rs.next()).isTrue();
        ps.close();
        assertThat(ps.isClosed()).isTrue();
        assertThatThrownBy(ps::executeQuery).isInstanceOf(SQLException.class);
        try (Connection other = connect(); Statement s = other.createStatement()) {
            s.execute("PRAGMA busy_timeout = 0");
            s.execute("INSERT INTO t (id, v) VALUES (100, 'late')");
            try (ResultSet checkpoint = s.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
                assertThat(checkpoint.next()).isTrue();
                assertThat(checkpoint.getInt(1)).as("busy: a read still open would hold the checkpoint back").isZero();
            }
        }
    }

    @Test
    void a_query_never_read_and_an_insert_leave_nothing_in_progress_so_a_vacuum_on_the_connection_runs() throws SQLException {
        try (PreparedStatement ps = cache.prepare(c, "SELECT v FROM t ORDER BY id")) {
            assertThat(ps.execute()).isTrue();
        }
        try (PreparedStatement ps = cache.prepare(c, "INSERT INTO t (id, v) VALUES (?, ?)")) {
            ps.setInt(1, 200);
            ps.setString(2, "inserted");
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        try (PreparedStatement vacuum = cache.prepare(c, "VACUUM INTO ?")) {
            vacuum.setString(1, tmp.resolve("copy.db").toString());
            vacuum.execute();
        }
        try (PreparedStatement again = cache.prepare(c, "VACUUM INTO ?")) {
            again.setString(1, tmp.resolve("copy-2.db").toString());
            again.execute();
        }
        assertThat(tmp.resolve("copy-2.db")).exists();
    }

    @Test
    void a_statement_of_a_long_list_of_parameters_is_not_kept() throws SQLException {
        String in = "SELECT count(*) FROM t WHERE id IN (" + "?, ".repeat(StatementCache.MAX_PARAMETERS) + "?)";
        PreparedStatement first = cache.prepare(c, in);
        first.close();
        assertThat(first.isClosed()).isTrue();
        try (PreparedStatement again = cache.prepare(c, in)) {
            assertThat(again).as("prepared afresh").isNotSameAs(first);
            for (int i = 1; i <= StatementCache.MAX_PARAMETERS + 1; i++) {
                again.setInt(i, i);
            }
            try (ResultSet rs = again.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(StatementCache.MAX_PARAMETERS + 1);
            }
        }
        assertThat(cache.prepared()).isEqualTo(2);
    }

    @Test
    void past_its_size_the_least_recently_used_statement_is_dropped_and_prepared_again_when_asked() throws SQLException {
        assertThat(valueOf(1)).isEqualTo("v1");
        for (int i = 0; i < StatementCache.PER_CONNECTION; i++) {
            try (PreparedStatement ps = cache.prepare(c, "SELECT v FROM t WHERE id = ? AND " + i + " = " + i)) {
                ps.setInt(1, 2);
                ps.executeQuery().close();
            }
        }
        long before = cache.prepared();
        assertThat(valueOf(3)).isEqualTo("v3");
        assertThat(cache.prepared()).isEqualTo(before + 1);
    }

    private String valueOf(int id) throws SQLException {
        try (PreparedStatement ps = cache.prepare(c, BY_ID)) {
            ps.setInt(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve("cache.db"));
    }
}
