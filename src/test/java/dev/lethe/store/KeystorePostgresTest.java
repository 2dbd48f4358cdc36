package dev.lethe.store;

import dev.lethe.testing.StoreFixture;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * On PostgreSQL the keystore is the schema lethe_keys; the pages of its tables and indexes are read whole with
 * pageinspect, so dead tuples and the free space between tuples count too.
 */
class KeystorePostgresTest extends KeystoreContract {

    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }

    @Override
    boolean keystoreHolds(byte[] bytes) {
        return db.keystore().query(tx -> {
            try (Statement s = tx.createStatement()) {
                s.execute("CREATE EXTENSION IF NOT EXISTS pageinspect");
            }
            // why: every relation of the keystore (both tables, their indexes, their TOAST), not only where keys are meant to be
            try (PreparedStatement ps = tx.prepareStatement("WITH rel AS (SELECT c.oid FROM pg_class c JOIN pg_namespace n "
                    + "ON n.oid = c.relnamespace WHERE n.nspname = 'lethe_keys' AND c.relkind IN ('r', 'i') "
                    + "UNION SELECT c.reltoastrelid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                    + "WHERE n.nspname = 'lethe_keys' AND c.reltoastrelid <> 0) "
                    + "SELECT EXISTS (SELECT 1 FROM rel, generate_series(0, pg_relation_size(rel.oid) / current_setting('block_size')::int - 1) AS blk "
                    + "WHERE position(? IN get_raw_page(rel.oid::regclass::text, blk::int)) > 0)")) {
                ps.setBytes(1, bytes);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getBoolean(1);
                }
            }
        });
    }

    @org.junit.jupiter.api.Test
    void a_refresh_gives_the_planner_the_keystore_s_size_after_a_bulk_fill() {
        java.util.List<byte[]> people = new java.util.ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            people.add(db.keys().person(P, "bulk-" + i));
        }
        db.keystore().findOrCreate(P, people, 0);
        db.keystore().refreshStatistics();
        long estimated = db.keystore().query(tx -> {
            try (Statement s = tx.createStatement();
                 ResultSet rs = s.executeQuery("SELECT reltuples::bigint FROM pg_class WHERE oid = 'lethe_keys.person_keys'::regclass")) {
                rs.next();
                return rs.getLong(1);
            }
        });
        org.assertj.core.api.Assertions.assertThat(estimated).isEqualTo(2_000);
    }
}
