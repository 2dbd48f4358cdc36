package dev.lethe.store;

import dev.lethe.testing.Bytes;
import dev.lethe.testing.StoreFixture;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.stream.Stream;

/** On SQLite the residue is the bytes themselves, in the database file or its WAL. */
class ScrubAfterDeletionSqliteTest extends ScrubAfterDeletionContract {

    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }

    @Override
    boolean residueOf(String marker) {
        byte[] needle = marker.getBytes(StandardCharsets.UTF_8);
        Path main = db.config().sqliteFile();
        return Stream.of(main, Path.of(main + "-wal"), Path.of(main + "-shm"))
                .filter(Files::exists)
                .anyMatch(file -> Bytes.contains(Bytes.read(file), needle));
    }

    /** sqlite_stat1 holds only counts; sqlite_stat4 (in this driver's build) holds sampled index keys. */
    @Override
    boolean statisticsHold(String fragment) {
        return db.withConnection(c -> {
            try (PreparedStatement exists = c.prepareStatement("SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_stat4'");
                 ResultSet rs = exists.executeQuery()) {
                rs.next();
                if (rs.getLong(1) == 0) {
                    return false;
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM sqlite_stat4 WHERE instr(sample, CAST(? AS BLOB)) > 0")) {
                ps.setString(1, fragment);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1) > 0;
                }
            }
        });
    }
}
