package dev.lethe.store;

import java.nio.file.Path;

/**
 * Where the data lives. The data directory is used by both backends: it holds the
 * SQLite file for the embedded store, the instance key and the retrieval archives.
 */
public record StoreConfig(StoreKind kind, Path dataDir, String jdbcUrl, String dbUser, String dbPassword) {

    public static StoreConfig sqlite(Path dataDir) {
        return new StoreConfig(StoreKind.SQLITE, dataDir, null, null, null);
    }

    public Path sqliteFile() {
        return dataDir.resolve("lethe.db");
    }
}
