package dev.lethe.store;

import dev.lethe.testing.StoreFixture;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static dev.lethe.testing.EventBuilder.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * On PostgreSQL the residue a store can remove is the deleted tuples (VACUUM); the bytes
 * themselves may stay in free space and WAL until overwritten (docs/erasure.md), so this
 * test checks tuples through pageinspect, not bytes.
 */
class ScrubAfterDeletionPostgresTest extends ScrubAfterDeletionContract {

    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }

    @Override
    void beforeDeletion() {
        db.withConnection(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE EXTENSION IF NOT EXISTS pageinspect");
                // why: autovacuum could clean the tuples before the test looks at them.
                s.execute("ALTER TABLE events_y2026m11 SET (autovacuum_enabled = false)");
                s.execute("ALTER TABLE profiles SET (autovacuum_enabled = false)");
            }
            return null;
        });
    }

    /** Heap tuples, live or dead, of events and profiles whose data holds the marker. */
    @Override
    boolean residueOf(String marker) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT COUNT(*) FROM (SELECT 'events_y2026m11' AS rel UNION ALL SELECT 'profiles') r, "
                            + "LATERAL generate_series(0, pg_relation_size(r.rel::regclass) / current_setting('block_size')::int - 1) AS blk, "
                            + "LATERAL heap_page_items(get_raw_page(r.rel, blk::int)) AS item "
                            + "WHERE item.lp_flags = 1 AND position(convert_to(?, 'UTF8') IN item.t_data) > 0")) {
                ps.setString(1, marker);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1) > 0;
                }
            }
        });
    }

    /** Most common values and histogram bounds are the only sampled values pg_stats shows. */
    @Override
    boolean statisticsHold(String fragment) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT COUNT(*) FROM pg_stats WHERE schemaname = current_schema() AND ("
                            + "strpos(COALESCE(most_common_vals::text, ''), ?) > 0 OR strpos(COALESCE(histogram_bounds::text, ''), ?) > 0)")) {
                ps.setString(1, fragment);
                ps.setString(2, fragment);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1) > 0;
                }
            }
        });
    }

    @Test
    void the_scrub_vacuums_the_partitions_the_deletion_touched_and_no_other() {
        // why: a bystander in another month, with a dead tuple a vacuum of that partition would clear.
        events.insert(P, List.of(event("bystander").at(1_700_000_000_000L).build(), event("gone").at(1_700_000_000_001L).build()));
        db.inTransaction(c -> events.deleteBatch(c, P, List.of("gone"), 10));

        deletePerson();
        db.withConnection(c -> {
            db.dialect().scrubAfterDeletion(c.connection(), touched);
            return null;
        });

        assertThat(touched).containsExactly("events_y2026m11");
        assertThat(vacuumCount("events_y2026m11")).isEqualTo(1);
        assertThat(vacuumCount("events_y2023m11")).isZero();
        assertThat(vacuumCount("events_default")).isZero();
        assertThat(vacuumCount("profiles")).isEqualTo(1);
    }

    @Test
    void the_scrub_refuses_a_name_that_is_not_an_events_partition() {
        assertThatThrownBy(() -> db.withConnection(c -> {
            db.dialect().scrubAfterDeletion(c.connection(), Set.of("events; DROP TABLE tasks"));
            return null;
        })).isInstanceOf(IllegalArgumentException.class);
    }

    private long vacuumCount(String table) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = ? AND schemaname = current_schema()")) {
                ps.setString(1, table);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).as("statistics of " + table).isTrue();
                    return rs.getLong(1);
                }
            }
        });
    }
}
