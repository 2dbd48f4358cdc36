package dev.lethe.store;

import dev.lethe.crypto.InstanceKey;
import dev.lethe.suppression.SuppressionStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

abstract class SuppressionStoreContract extends StoreContract {

    static final long P = 1;
    static final long OTHER_PROJECT = 2;
    static final long TASK = 42;
    static final long NOW = 1_796_000_000_000L;

    SuppressionStore suppressions;

    @BeforeEach
    void stores() {
        suppressions = new SuppressionStore(db, InstanceKey.loadOrCreate(tmp.resolve("key")));
    }

    private void suppress(long project, List<String> ids) {
        db.inTransaction(c -> {
            suppressions.suppress(c, project, ids, TASK, NOW);
            return null;
        });
    }

    /** Every value of every column of the suppressions table, as text. */
    private List<String> everyStoredValue() {
        return db.withConnection(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM suppressions"); ResultSet rs = ps.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                while (rs.next()) {
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        out.add(rs.getString(i));
                    }
                }
            }
            return out;
        });
    }

    @Test
    void suppressed_ids_are_found_and_others_are_not() {
        suppress(P, List.of("alice", "bob"));

        assertThat(suppressions.suppressedAmong(P, List.of("alice", "carol", "bob"))).containsExactlyInAnyOrder("alice", "bob");
        assertThat(suppressions.suppressedAmong(P, List.of("carol"))).isEmpty();
        assertThat(suppressions.suppressedAmong(P, List.of())).isEmpty();
    }

    @Test
    void only_a_hash_of_the_id_is_stored() {
        suppress(P, List.of("alice@example.com"));

        List<String> stored = everyStoredValue();
        assertThat(stored).isNotEmpty();
        assertThat(stored).noneMatch(v -> v != null && v.toLowerCase().contains("alice"));
    }

    @Test
    void a_suppression_holds_in_its_project_only() {
        suppress(P, List.of("alice"));

        assertThat(suppressions.suppressedAmong(OTHER_PROJECT, List.of("alice"))).isEmpty();
    }

    @Test
    void suppressing_again_keeps_one_entry_and_dropped_events_are_counted() {
        suppress(P, List.of("alice"));
        suppress(P, List.of("alice", "bob"));

        suppressions.countDropped(P, "alice", 3);
        suppressions.countDropped(P, "bob", 2);
        suppressions.countDropped(P, "not-suppressed", 7);

        assertThat(suppressions.droppedTotal(P)).isEqualTo(5);
        assertThat(suppressions.droppedTotal(OTHER_PROJECT)).isZero();
        long rows = db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM suppressions"); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
        assertThat(rows).isEqualTo(2);
    }
}
