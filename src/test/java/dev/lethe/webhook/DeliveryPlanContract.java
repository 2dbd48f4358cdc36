package dev.lethe.webhook;

import dev.lethe.testing.QueryPlan;
import dev.lethe.store.Database;
import dev.lethe.store.Tx;
import dev.lethe.testing.StoreFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every sender polls for due deliveries several times a second, and the table keeps 30 days of
 * settled ones: the poll must read the pending deliveries through their index, and the check that
 * an earlier delivery of the same task is still pending must be an index probe, not a scan.
 */
abstract class DeliveryPlanContract {

    abstract StoreFixture store();

    /** The plan lines of {@code sql} with its three parameters bound, the backend told to prefer any usable index. */
    private static List<String> plan(Tx tx, String sql) throws SQLException {
        return QueryPlan.of(tx::prepareStatement, sql, DeliveryPlanContract::bindCandidates, true);
    }

    @TempDir
    Path tmp;
    Database db;

    @BeforeEach
    void openStore() {
        db = Database.open(store().newStore(tmp));
    }

    @AfterEach
    void closeStore() {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void the_due_poll_reads_the_pending_index_and_probes_the_order_index() {
        List<String> plan = db.withConnection(tx -> plan(tx, DeliveryClaims.candidatesSql("")));

        assertThat(plan).as("plan %s", plan).anyMatch(line -> line.contains("webhook_deliveries_due"));
        assertThat(plan).as("plan %s", plan).anyMatch(line -> line.contains("webhook_deliveries_in_order"));
    }

    private static void bindCandidates(PreparedStatement ps) throws SQLException {
        ps.setLong(1, 1_800_000_000_000L);
        ps.setLong(2, 1_800_000_000_000L);
        ps.setInt(3, 8);
    }
}
