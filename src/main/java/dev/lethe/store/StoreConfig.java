package dev.lethe.store;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where the data lives. The data directory is used by both backends: it holds the
 * SQLite file for the embedded store, the instance key and the retrieval archives.
 *
 * @param maxPoolSize most connections the store's pool opens
 * @param busyTimeout how long a writer waits for the store's write lock: SQLite's busy timeout,
 *                    and the in-process queue before it (unused on PostgreSQL)
 * @param keystoreUrl on PostgreSQL, the database of the keystore ({@link Keystore}); null for the store's own
 *                    database. A separate database lets the main store's backups exclude the keys.
 */
public record StoreConfig(StoreKind kind, Path dataDir, String jdbcUrl, String dbUser, String dbPassword,
                          int maxPoolSize, Duration busyTimeout, String keystoreUrl) {

    public static final int SQLITE_POOL_SIZE = 8;
    public static final int POSTGRES_POOL_SIZE = 16;
    public static final Duration BUSY_TIMEOUT = Duration.ofSeconds(30);

    /** The default pool size of the backend and the default busy timeout. */
    public StoreConfig(StoreKind kind, Path dataDir, String jdbcUrl, String dbUser, String dbPassword) {
        this(kind, dataDir, jdbcUrl, dbUser, dbPassword, defaultPoolSize(kind), BUSY_TIMEOUT, null);
    }

    public static StoreConfig sqlite(Path dataDir) {
        return new StoreConfig(StoreKind.SQLITE, dataDir, null, null, null);
    }

    public static int defaultPoolSize(StoreKind kind) {
        return switch (kind) {
            case SQLITE -> SQLITE_POOL_SIZE;
            case POSTGRES -> POSTGRES_POOL_SIZE;
        };
    }

    public StoreConfig withMaxPoolSize(int size) {
        return new StoreConfig(kind, dataDir, jdbcUrl, dbUser, dbPassword, size, busyTimeout, keystoreUrl);
    }

    public StoreConfig withBusyTimeout(Duration timeout) {
        return new StoreConfig(kind, dataDir, jdbcUrl, dbUser, dbPassword, maxPoolSize, timeout, keystoreUrl);
    }

    /** On PostgreSQL, keeps the keystore in the database of this URL instead of the store's own. */
    public StoreConfig withKeystoreUrl(String url) {
        return new StoreConfig(kind, dataDir, jdbcUrl, dbUser, dbPassword, maxPoolSize, busyTimeout, url);
    }

    /** The database the PostgreSQL keystore lives in. */
    public String keystoreJdbcUrl() {
        return keystoreUrl == null || keystoreUrl.isBlank() ? jdbcUrl : keystoreUrl;
    }

    public Path sqliteFile() {
        return dataDir.resolve("lethe.db");
    }
}
