package dev.lethe.store;

import dev.lethe.testing.Bytes;
import dev.lethe.testing.StoreFixture;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

class ContentSealingSqliteTest extends ContentSealingContract {

    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }

    @Override
    boolean storeHolds(Database db, String text) {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        Path main = db.config().sqliteFile();
        return Stream.of(main, Path.of(main + "-wal")).filter(Files::exists).anyMatch(f -> Bytes.contains(Bytes.read(f), needle));
    }
}
