package dev.lethe.store;

import dev.lethe.testing.StoreFixture;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

/** The store's heap pages are read with pageinspect, dead tuples included. */
class ContentSealingPostgresTest extends ContentSealingContract {

    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }

    @Override
    boolean storeHolds(Database db, String text) {
        return db.withConnection(tx -> {
            try (Statement s = tx.createStatement()) {
                s.execute("CREATE EXTENSION IF NOT EXISTS pageinspect");
            }
            try (PreparedStatement ps = tx.prepareStatement("SELECT EXISTS (SELECT 1 FROM pg_class t, "
                    + "LATERAL generate_series(0, pg_relation_size(t.oid) / current_setting('block_size')::int - 1) AS blk, "
                    + "LATERAL heap_page_items(get_raw_page(t.oid::regclass::text, blk::int)) AS item "
                    + "WHERE t.relkind IN ('r', 't') AND item.t_data IS NOT NULL "
                    + "AND t.relnamespace IN (current_schema()::regnamespace, 'pg_toast'::regnamespace) "
                    + "AND position(convert_to(?, 'UTF8') IN item.t_data) > 0)")) {
                ps.setString(1, text);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getBoolean(1);
                }
            }
        });
    }
}
