package dev.lethe.store;

import dev.lethe.testing.Bytes;
import dev.lethe.testing.StoreFixture;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** On SQLite the keystore is the file keys.db beside the store, with its WAL. */
class KeystoreSqliteTest extends KeystoreContract {

    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }

    @Override
    boolean keystoreHolds(byte[] bytes) {
        Path file = db.keystore().file();
        return Stream.of(file, Path.of(file + "-wal")).filter(Files::exists).anyMatch(f -> Bytes.contains(Bytes.read(f), bytes));
    }
}
