package dev.lethe.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.lethe.crypto.InstanceKey;
import dev.lethe.metrics.LetheMetrics;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * The one handle on the store: a pooled {@link DataSource}, the {@link Dialect} of the
 * backend, and transaction helpers. Opening it migrates the schema with Flyway.
 */
public final class Database implements AutoCloseable {

    /** SQLite's own ceiling for a memory map (SQLITE_MAX_MMAP_SIZE); a larger request is cut to it. */
    private static final long MMAP_BYTES = 0x7fff0000L;

    private final HikariDataSource dataSource;
    private final Dialect dialect;
    private final StoreConfig config;
    private final IndexKeys keys;
    private final Keystore keystore;
    private volatile LetheMetrics metrics;

    private Database(HikariDataSource dataSource, Dialect dialect, StoreConfig config, IndexKeys keys, Keystore keystore) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.config = config;
        this.keys = keys;
        this.keystore = keystore;
    }

    public static Database open(StoreConfig config) {
        return open(config, SqliteDialect.CHECKPOINT_EVERY);
    }

    /** Like {@link #open(StoreConfig)}, an embedded store's WAL copied into its file every {@code walCheckpointEvery}. */
    static Database open(StoreConfig config, Duration walCheckpointEvery) {
        try {
            PrivateFiles.createFolders(config.dataDir());
            if (config.kind() == StoreKind.SQLITE) {
                // why: SQLite creates the -wal and -shm files with the mode of the database file.
                PrivateFiles.createFile(config.sqliteFile());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + config.dataDir(), e);
        }
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("lethe-" + config.kind().name().toLowerCase());
        Dialect dialect = switch (config.kind()) {
            case SQLITE -> {
                hikari.setDataSource(sqliteDataSource(config.sqliteFile(), config.busyTimeout()));
                hikari.setMaximumPoolSize(config.maxPoolSize());
                // why: the WAL is copied into the file by a thread of its own every second (WalCheckpointer), not
                // inside a commit on the store's one writer; the writers' automatic checkpoint is a backstop only.
                // (At the default 1000 pages a bulk load checkpointed after nearly every transaction; 10,000 pages
                // took its inserts from ~40k to ~50k rows/s, and then held every waiting write for the copy.)
                hikari.setConnectionInitSql("PRAGMA wal_autocheckpoint = " + WalCheckpointer.BACKSTOP_PAGES);
                yield new SqliteDialect(config.busyTimeout().toMillis(), config.sqliteFile(), walCheckpointEvery);
            }
            case POSTGRES -> {
                if (config.jdbcUrl() == null || config.jdbcUrl().isBlank()) {
                    throw new IllegalArgumentException("--store postgres needs --jdbc-url");
                }
                hikari.setJdbcUrl(config.jdbcUrl());
                if (config.dbUser() != null) hikari.setUsername(config.dbUser());
                if (config.dbPassword() != null) hikari.setPassword(config.dbPassword());
                hikari.setMaximumPoolSize(config.maxPoolSize());
                yield new PostgresDialect();
            }
        };
        hikari.setConnectionTimeout(30_000);
        // why: the index keys are keyed hashes, so the store and its migration need the instance key
        // of the data directory; instances sharing a PostgreSQL store share it (docs/operations.md).
        InstanceKey instanceKey = InstanceKey.loadOrCreate(config.dataDir());
        IndexKeys keys = new IndexKeys(instanceKey);
        HikariDataSource ds = new HikariDataSource(hikari);
        Keystore keystore = null;
        try {
            keystore = Keystore.open(config, instanceKey);
            migrate(ds, config.kind(), keys);
            checkKey(ds, keys, config);
            dialect.opened(ds);
            Database db = new Database(ds, dialect, config, keys, keystore);
            ContentSealing.sealClearRows(db);
            return db;
        } catch (RuntimeException e) {
            dialect.closed();
            ds.close();
            if (keystore != null) {
                keystore.close();
            }
            throw e;
        }
    }

    /** A SQLite file with Lethe's settings (WAL, secure_delete, IMMEDIATE transactions): the store's, or the keystore's. */
    static DataSource sqliteDataSource(Path file, Duration busyTimeout) {
        SQLiteConfig sqlite = new SQLiteConfig();
        sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
        sqlite.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        sqlite.setBusyTimeout((int) busyTimeout.toMillis());
        // why: the default 2 MiB page cache makes every insert into the wide dedupe index of a
        // store past a few hundred MB read its leaf pages back from the file; 32 MiB per
        // connection keeps the hot interior pages cached (bulk load ~2x faster, see docs/benchmarks.md).
        sqlite.setCacheSize(-32_768);
        sqlite.setTempStore(SQLiteConfig.TempStore.MEMORY);
        // why: pages are then read from the mapped file instead of copied in by a pread call each; that call was a
        // tenth of an export's CPU (+10% export throughput). SQLite caps the map at 2 GiB; writes do not use it.
        sqlite.setPragma(SQLiteConfig.Pragma.MMAP_SIZE, Long.toString(MMAP_BYTES));
        sqlite.enforceForeignKeys(true);
        // why: freed pages are overwritten with zeros, so deleted personal data does not
        // survive in the database file.
        sqlite.setPragma(SQLiteConfig.Pragma.SECURE_DELETE, "true");
        // why: a deferred transaction that later writes can fail with SQLITE_BUSY without
        // waiting; taking the write lock up front makes writers queue on the busy timeout.
        sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        // why: otherwise the driver prepares and runs "SELECT last_insert_rowid()" after every INSERT, inside the
        // write lock; Lethe reads a new row's id with RETURNING instead
        sqlite.setGetGeneratedKeys(false);
        SQLiteDataSource ds = new SQLiteDataSource(sqlite);
        ds.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        return ds;
    }

    private static void migrate(DataSource ds, StoreKind kind, IndexKeys keys) {
        String folder = switch (kind) {
            case SQLITE -> "sqlite";
            case POSTGRES -> "postgresql";
        };
        Flyway.configure()
                .dataSource(ds)
                .locations("classpath:db/migration/" + folder)
                // why: V013 fills the hashed index keys, which SQL cannot compute without the instance key
                .javaMigrations(new HashedKeysMigration(kind, keys))
                .load()
                .migrate();
    }

    /**
     * Refuses a store whose index keys were made with another instance key: every lookup of a person
     * would then find nothing, and a deletion would verify "nothing left" over rows it never reached.
     * A store without a recorded key (a copy of an empty template) takes this one.
     */
    private static void checkKey(DataSource ds, IndexKeys keys, StoreConfig config) {
        try (Connection c = ds.getConnection()) {
            try (var ps = c.prepareStatement("INSERT INTO index_key_check (id, fingerprint) VALUES (1, ?) ON CONFLICT (id) DO NOTHING")) {
                ps.setBytes(1, keys.fingerprint());
                ps.executeUpdate();
            }
            try (var ps = c.prepareStatement("SELECT fingerprint FROM index_key_check WHERE id = 1");
                 var rs = ps.executeQuery()) {
                if (!rs.next() || !java.util.Arrays.equals(rs.getBytes(1), keys.fingerprint())) {
                    throw new IllegalStateException("the store's index keys were made with another instance key than "
                            + config.dataDir().resolve("lethe.key") + "; start with the data directory (or a copy of its "
                            + "lethe.key) the store was created with");
                }
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /** The keyed hashes that index keys hold instead of personal values (for the benchmark's own SQL and tests). */
    public IndexKeys keys() {
        return keys;
    }

    /** The persons' data keys, which erasure destroys. */
    public Keystore keystore() {
        return keystore;
    }

    /** For the store's own code and its tests; everything else goes through {@link Tx}. */
    Dialect dialect() {
        return dialect;
    }

    public StoreKind kind() {
        return dialect.kind();
    }

    public StoreConfig config() {
        return config;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Work on the store that may throw {@link SQLException}. */
    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Tx tx) throws SQLException;
    }

    /** Runs work on a pooled connection in auto-commit mode. */
    public <T> T withConnection(SqlWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(new Tx(c, dialect, keys, keystore));
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /**
     * Runs a read whose result sets stream in pages of their fetch size, in bounded memory,
     * however many rows they return. Writes made in it are not kept.
     */
    public <T> T streaming(SqlWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            dialect.beginStreamingRead(c);
            try {
                return work.run(new Tx(c, dialect, keys, keystore));
            } finally {
                dialect.endStreamingRead(c);
            }
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /** Runs work in one transaction: committed when it returns, rolled back when it throws. */
    public <T> T inTransaction(SqlWork<T> work) {
        return inTransaction(dataSource, dialect, c -> work.run(new Tx(c, dialect, keys, keystore)));
    }

    /** Work on one connection that may throw {@link SQLException}. */
    @FunctionalInterface
    interface ConnectionWork<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Runs work in one transaction on a connection of {@code dataSource}, with the dialect's writer turn and commit:
     * the store's transactions, and the keystore's.
     */
    static <T> T inTransaction(HikariDataSource dataSource, Dialect dialect, ConnectionWork<T> work) {
        try {
            return dialect.asWriter(() -> transaction(dataSource, dialect, work));
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    private static <T> T transaction(HikariDataSource dataSource, Dialect dialect, ConnectionWork<T> work)
            throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            try {
                c.setAutoCommit(false);
            } catch (SQLException e) {
                // why: sqlite-jdbc marks the connection as in a transaction before it runs BEGIN; a BEGIN
                // IMMEDIATE that timed out on a held write lock (SQLITE_BUSY) leaves it marked but with no
                // transaction, so its next "transaction" would commit statement by statement and then fail.
                dataSource.evictConnection(c);
                throw e;
            }
            try {
                T result = work.run(c);
                dialect.commit(c);
                return result;
            } catch (SQLException | RuntimeException e) {
                if (!c.getAutoCommit()) {
                    c.rollback();
                }
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /**
     * Runs work in auto-commit mode holding this process's turn at the store's write lock: for
     * statements that take the write lock themselves outside a transaction (a WAL checkpoint, a
     * rebuild), which would otherwise wait in SQLite's busy handler behind a queue of writers.
     * Same as {@link #withConnection} on a server store.
     */
    public <T> T asWriter(SqlWork<T> work) {
        try {
            return dialect.asWriter(() -> withConnection(work));
        } catch (SQLException e) {
            throw new StoreException(e);
        }
    }

    /**
     * Runs {@code task} on this thread with the writes it makes queued as background work at SQLite's write turn: a
     * request's writes go before them, for at most {@value WriterQueue#BACKGROUND_PATIENCE_MS} ms at a time (a task
     * worker's poll). No difference on a server store.
     */
    public static void runAsBackground(Runnable task) {
        WriterQueue.runAsBackground(task);
    }

    /** A sealer for one reader's many short units of work ({@link Sealer#openUnitEncoded}), such as an export's chunks. */
    public Sealer readerSealer() {
        return Sealer.acrossReads(keystore);
    }

    /**
     * Called once a deletion that destroyed keys has committed: removes the old copies of the destroyed keys
     * from the keystore's files ({@link Keystore#scrub}), reported to the metrics as the scrub after a deletion.
     */
    public void scrubKeystore() {
        long begun = System.nanoTime();
        boolean ok = false;
        try {
            keystore.scrub();
            ok = true;
        } finally {
            LetheMetrics m = metrics;
            if (m != null) {
                m.maintenance("scrub", ok, Duration.ofNanos(System.nanoTime() - begun));
            }
        }
    }

    /**
     * Reports the pool (HikariCP's own Micrometer meters: active, idle, pending, timeouts, by pool
     * name) and the scrubs after deletions to {@code metrics}. Once per store: the pool accepts one registry.
     */
    public void instrument(LetheMetrics metrics) {
        this.metrics = metrics;
        dataSource.setMetricRegistry(metrics.registry());
    }

    /**
     * Called after rows of {@code table} were rewritten to drop ids kept in clear: removes their old
     * versions (PostgreSQL {@code VACUUM}); see {@link Dialect#cleanRewrittenRows}.
     */
    public void cleanRewrittenRows(String table) {
        withConnection(tx -> {
            dialect.cleanRewrittenRows(tx.connection(), table);
            return null;
        });
    }

    /** One checkpoint of the embedded store's WAL now, on the thread that makes them; for tests. */
    WalCheckpointer.Outcome checkpointWalNow() {
        return ((SqliteDialect) dialect).checkpointNow();
    }

    @Override
    public void close() {
        dialect.closed();
        dataSource.close();
        keystore.close();
    }
}
