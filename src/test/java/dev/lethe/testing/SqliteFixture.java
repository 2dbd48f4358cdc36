package dev.lethe.testing;

import dev.lethe.store.Database;
import dev.lethe.store.Keystore;
import dev.lethe.store.PrivateFiles;
import dev.lethe.store.StoreConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A fresh SQLite store per test: a copy of a data directory made once per JVM (the migrated store, its keystore
 * with its bucket keys, and the instance key that wraps them), as {@link PostgresFixture} copies a template
 * database. Opening the copy finds every migration applied and only validates them.
 */
final class SqliteFixture implements StoreFixture {

    private static Path template;
    private static final String[] FILES = {"lethe.db", Keystore.SQLITE_FILE, "lethe.key"};

    @Override
    public StoreConfig newStore(Path tempDir) {
        StoreConfig store = StoreConfig.sqlite(tempDir.resolve("data"));
        try {
            // why: as Lethe makes them itself (0700 folders, a 0600 file), so tests of the files' modes see the product's
            PrivateFiles.createFolders(store.dataDir());
            Path from = template();
            for (String name : FILES) {
                Path to = store.dataDir().resolve(name);
                PrivateFiles.createFile(to);
                try (var out = Files.newOutputStream(to, StandardOpenOption.TRUNCATE_EXISTING)) {
                    Files.copy(from.resolve(name), out);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the migrated SQLite template into " + store.dataDir(), e);
        }
        return store;
    }

    /** The template's data directory, made on first use and deleted when the JVM exits. */
    private static synchronized Path template() throws IOException {
        if (template != null) {
            return template;
        }
        Path dir = Files.createTempDirectory("lethe-sqlite-template");
        dir.toFile().deleteOnExit();
        StoreConfig store = StoreConfig.sqlite(dir);
        try (Database db = Database.open(store)) {
            // why: opening makes the store, the keystore and the instance key
        }
        for (String name : FILES) {
            dir.resolve(name).toFile().deleteOnExit();
            // why: closing the last connection checkpoints the WAL into the file and removes it; a WAL
            // left behind would hold part of the schema, and copying the file alone would lose it.
            if (Files.exists(dir.resolve(name + "-wal"))) {
                throw new IllegalStateException("the SQLite template kept a WAL after closing: " + dir.resolve(name));
            }
        }
        template = dir;
        return template;
    }
}
