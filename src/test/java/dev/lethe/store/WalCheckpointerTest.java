package dev.lethe.store;

import dev.lethe.testing.StoreFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded store's WAL is copied into its file by the checkpointer's own thread, never by a commit on the store's
 * writer (which held every waiting request back while it copied up to 40 MB).
 */
class WalCheckpointerTest {

    private static final int PAGE = 4096;
    /** Rows of ~4 KB: each takes a page of its own, so the WAL grows by about a page a row. */
    private static final int ROW_BYTES = 4000;

    @TempDir
    Path tmp;

    @Test
    void commits_leave_the_wal_to_the_checkpointer_which_copies_it_whole() throws IOException {
        StoreConfig config = StoreFixture.sqlite().newStore(tmp);
        try (Database db = Database.open(config, Duration.ofDays(1))) {
            long fileBefore = Files.size(config.sqliteFile());
            // why: 15 commits and 15,000 pages, past the 10,000 at which a commit copied the WAL itself until session 14
            for (int i = 0; i < 15; i++) {
                fill(db, 1_000);
            }

            assertThat(Files.size(wal(config))).isGreaterThan(15_000L * PAGE);
            assertThat(Files.size(config.sqliteFile())).as("no commit copied the WAL into the file")
                    .isLessThan(fileBefore + 1_000L * PAGE);

            WalCheckpointer.Outcome outcome = db.checkpointWalNow();

            assertThat(outcome.busy()).isFalse();
            assertThat(outcome.walPages()).isGreaterThan(15_000);
            assertThat(outcome.copiedPages()).isEqualTo(outcome.walPages());
            assertThat(Files.size(config.sqliteFile())).isGreaterThan(fileBefore + 15_000L * ROW_BYTES);
        }
    }

    @Test
    void the_checkpointer_copies_by_itself_and_the_wal_starts_over_instead_of_growing() throws Exception {
        StoreConfig config = StoreFixture.sqlite().newStore(tmp);
        try (Database db = Database.open(config, Duration.ofMillis(20))) {
            long fileBefore = Files.size(config.sqliteFile());
            fill(db, 2_000);
            awaitFileLargerThan(config.sqliteFile(), fileBefore + 2_000L * ROW_BYTES);
            long walAfterFirst = Files.size(wal(config));
            // why: the WAL was copied whole, so the next writes start it over from its beginning
            for (int i = 0; i < 3; i++) {
                awaitCopiedWhole(db);
                fill(db, 1_000);
            }
            assertThat(Files.size(wal(config))).as("the WAL file reused, not grown by the 3,000 pages written since")
                    .isLessThanOrEqualTo(walAfterFirst);
        }
    }

    @Test
    void past_the_restart_size_the_wal_starts_over_and_a_reader_of_an_older_snapshot_holds_that_back_only_so_long()
            throws Exception {
        StoreConfig config = StoreFixture.sqlite().newStore(tmp);
        try (Database db = Database.open(config, Duration.ofDays(1))) {
            fill(db, WalCheckpointer.RESTART_PAGES + 1_000);
            try (Connection reader = DriverManager.getConnection("jdbc:sqlite:" + config.sqliteFile())) {
                reader.setAutoCommit(false);
                try (Statement s = reader.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM filler")) {
                    rs.next();
                }
                long start = System.nanoTime();
                WalCheckpointer.Outcome held = db.checkpointWalNow();
                long tookMs = (System.nanoTime() - start) / 1_000_000;

                assertThat(held.copiedPages()).as("copied whole: the reader's snapshot holds every page").isEqualTo(held.walPages());
                assertThat(held.busy()).as("the restart gave up on the reader of the older snapshot").isTrue();
                assertThat(tookMs).as("and waited for it only so long").isLessThan(5_000);
                reader.commit();
            }
            WalCheckpointer.Outcome restarted = db.checkpointWalNow();
            assertThat(restarted.busy()).isFalse();
            fill(db, 10);
            assertThat(db.checkpointWalNow().walPages()).as("the WAL started over: only the last write is in it")
                    .isLessThan(1_000);
        }
    }

    @Test
    void the_writers_own_checkpoint_is_a_backstop_at_400_mb() {
        StoreConfig config = StoreFixture.sqlite().newStore(tmp);
        try (Database db = Database.open(config)) {
            long pages = db.withConnection(c -> {
                try (PreparedStatement ps = c.prepareStatement("PRAGMA wal_autocheckpoint"); ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
            assertThat(pages).isEqualTo(WalCheckpointer.BACKSTOP_PAGES);
        }
    }

    /** {@code rows} rows of {@value #ROW_BYTES} random bytes in one transaction, through the store's writer. */
    private static void fill(Database db, int rows) {
        db.inTransaction(tx -> {
            try (PreparedStatement ps = tx.prepareStatement("CREATE TABLE IF NOT EXISTS filler (b BLOB)")) {
                ps.execute();
            }
            try (PreparedStatement ps = tx.prepareStatement("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                    + "WHERE i < ?) INSERT INTO filler SELECT randomblob(" + ROW_BYTES + ") FROM n")) {
                ps.setInt(1, rows);
                ps.execute();
            }
            return null;
        });
    }

    private static Path wal(StoreConfig config) {
        return config.sqliteFile().resolveSibling(config.sqliteFile().getFileName() + "-wal");
    }

    private static void awaitFileLargerThan(Path file, long bytes) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (Files.size(file) <= bytes) {
            assertThat(System.nanoTime()).as("the checkpointer copied the WAL into %s", file).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private static void awaitCopiedWhole(Database db) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            WalCheckpointer.Outcome outcome = db.checkpointWalNow();
            if (!outcome.busy() && outcome.copiedPages() == outcome.walPages()) {
                return;
            }
            assertThat(System.nanoTime()).as("the WAL copied whole").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
