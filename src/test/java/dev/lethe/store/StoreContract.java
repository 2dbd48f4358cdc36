package dev.lethe.store;

import dev.lethe.testing.StoreFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** A fresh, migrated store per test; each backend's subclass supplies the fixture. */
abstract class StoreContract {

    abstract StoreFixture store();

    @TempDir
    Path tmp;
    Database db;

    @BeforeEach
    void openStore() {
        db = Database.open(store().newStore(tmp));
    }

    @AfterEach
    void closeStore() {
        // why: null when openStore() was aborted (PostgreSQL unreachable outside CI).
        if (db != null) {
            db.close();
        }
    }
}
