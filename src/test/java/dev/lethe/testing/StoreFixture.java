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

    static StoreFixture sqlite() {
        return tempDir -> StoreConfig.sqlite(tempDir.resolve("data"));
    }

    /** A fresh database on the test PostgreSQL server; see {@link PostgresFixture}. */
    static StoreFixture postgres() {
        return new PostgresFixture();
    }
}
