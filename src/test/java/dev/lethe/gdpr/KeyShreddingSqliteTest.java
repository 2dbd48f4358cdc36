package dev.lethe.gdpr;

import dev.lethe.testing.StoreFixture;
import dev.lethe.testing.StorePages;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.PreparedStatement;

/** The main store is the file lethe.db with its WAL; a backup is SQLite's own online copy ({@code VACUUM INTO}). */
class KeyShreddingSqliteTest extends KeyShreddingContract {

    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }

    private Path main() {
        return server.app.config().store().sqliteFile();
    }

    @Override
    boolean storeHolds(String text) {
        return StorePages.sqliteFilesHold(main(), text);
    }

    @Override
    Object backUp() throws Exception {
        Path copy = tmp.resolve("backup.db");
        server.app.db().withConnection(tx -> {
            try (PreparedStatement ps = tx.prepareStatement("VACUUM INTO ?")) {
                ps.setString(1, copy.toString());
                ps.execute();
            }
            return null;
        });
        return copy;
    }

    @Override
    void restore(Object backup) throws Exception {
        Path main = main();
        Files.deleteIfExists(Path.of(main + "-wal"));
        Files.deleteIfExists(Path.of(main + "-shm"));
        Files.copy((Path) backup, main, StandardCopyOption.REPLACE_EXISTING);
    }
}
