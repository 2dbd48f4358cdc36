package dev.lethe.testing;

import dev.lethe.store.Database;
import dev.lethe.store.PrivateFiles;
import dev.lethe.store.StoreConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A fresh SQLite store per test: a copy of a file migrated once per JVM, as {@link PostgresFixture}
 * copies a template database. Opening the copy finds every migration applied and only validates them.
 */
final class SqliteFixture implements StoreFixture {

    private static Path template;

    @Override
    public StoreConfig newStore(Path tempDir) {
        StoreConfig store = StoreConfig.sqlite(tempDir.resolve("data"));
        try {
            // why: as Lethe makes them itself (0700 folders, a 0600 file), so tests of the files' modes see the product's
            PrivateFiles.createFolders(store.dataDir());
            PrivateFiles.createFile(store.sqliteFile());
            try (var out = Files.newOutputStream(store.sqliteFile(), StandardOpenOption.TRUNCATE_EXISTING)) {
                Files.copy(template(), out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the migrated SQLite template into " + store.dataDir(), e);
        }
        return store;
    }

    /** The migrated file, made on first use and deleted when the JVM exits. */
    private static synchronized Path template() throws IOException {
        if (template != null) {
            return template;
        }
        Path dir = Files.createTempDirectory("lethe-sqlite-template");
        dir.toFile().deleteOnExit();
        StoreConfig store = StoreConfig.sqlite(dir);
        store.sqliteFile().toFile().deleteOnExit();
        try (Database db = Database.open(store)) {
            PostgresFixture.forgetIndexKey(db);
        }
        // why: closing the last connection checkpoints the WAL into the file and removes it; a WAL
        // left behind would hold part of the schema, and copying the file alone would lose it.
        if (Files.exists(dir.resolve("lethe.db-wal"))) {
            throw new IllegalStateException("the SQLite template kept a WAL after closing: " + dir);
        }
        template = store.sqliteFile();
        return template;
    }
}
