package dev.lethe.store;

import dev.lethe.crypto.Secrets;
import dev.lethe.testing.Bytes;
import dev.lethe.testing.StoreFixture;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static dev.lethe.testing.EventBuilder.event;
import static org.assertj.core.api.Assertions.assertThat;

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

    /**
     * On SQLite deletions finishing together share one WAL checkpoint (PostgreSQL vacuums per
     * deletion, and a concurrent deletion's snapshot may hold its cleanup back, see docs/erasure.md).
     */
    @Test
    void deletions_scrubbing_together_each_return_with_their_rows_gone_from_the_files() throws Exception {
        List<String> people = IntStream.range(0, 6).mapToObj(i -> "erase-too-" + i + "-" + Secrets.random(16)).toList();
        for (String p : people) {
            events.insert(P, List.of(event(p).at(1_796_000_000_000L).properties("{\"email\":\"" + p + "@example.com\"}").build()));
        }
        ExecutorService threads = Executors.newFixedThreadPool(people.size());
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> runs = new ArrayList<>();
            for (String p : people) {
                runs.add(threads.submit(() -> {
                    go.await();
                    Set<String> partitions = new TreeSet<>();
                    db.inTransaction(c -> events.deleteBatch(c, P, List.of(p), 100, partitions));
                    db.scrubAfterDeletion(partitions);
                    // why: checked as each deletion returns, not after all of them: a shared
                    // checkpoint must have covered this one's commit before it came back.
                    assertThat(residueOf(p)).as("residue of %s after its scrub returned", p).isFalse();
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> run : runs) {
                run.get(60, TimeUnit.SECONDS);
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(events.count(P, List.of("bystander"))).isEqualTo(1);
    }
}
