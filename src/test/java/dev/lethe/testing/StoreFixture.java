package dev.lethe.testing;

import dev.lethe.store.StoreConfig;

import java.nio.file.Path;

/**
 * Supplies a fresh, empty store for a test. Each backend has one; abstract behaviour tests
 * take a fixture, and a small subclass per backend supplies it.
 */
public interface StoreFixture {

    /** A new empty store whose data directory is under {@code tempDir}. */
    StoreConfig newStore(Path tempDir);

    /** A migrated SQLite file in {@code tempDir/data}; see {@link SqliteFixture}. */
    static StoreFixture sqlite() {
        return new SqliteFixture();
    }

    /** A fresh database on the test PostgreSQL server; see {@link PostgresFixture}. */
    static StoreFixture postgres() {
        return new PostgresFixture();
    }
}
