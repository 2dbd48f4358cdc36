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

    @org.junit.jupiter.api.Test
    void a_scrub_waiting_for_its_lock_lets_the_readers_of_the_keys_through() throws Exception {
        db.keystore().findOrCreate(P, java.util.List.of(db.keys().person(P, "alice"), db.keys().person(P, "bob")), 0);
        java.util.concurrent.CountDownLatch holding = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        // why: a transaction the scrub's VACUUM FULL must queue behind for its lock, as behind another deletion's or an
        // ingestion's transaction
        java.util.concurrent.CompletableFuture<Void> holder = java.util.concurrent.CompletableFuture.runAsync(() ->
                db.keystore().query(tx -> {
                    try (Statement s = tx.createStatement()) {
                        s.execute("BEGIN");
                        s.executeQuery("SELECT count(*) FROM lethe_keys.key_buckets").close();
                        holding.countDown();
                        release.await(60, java.util.concurrent.TimeUnit.SECONDS);
                        s.execute("COMMIT");
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return null;
                }));
        holding.await(30, java.util.concurrent.TimeUnit.SECONDS);
        // why: the VACUUM FULL itself, without the scrub's wait for snapshots older than the destruction: on a cluster
        // other tests share, another database's transaction can make the holder's snapshot look older than that
        java.util.concurrent.CompletableFuture<Void> scrub = java.util.concurrent.CompletableFuture.runAsync(() ->
                db.keystore().query(tx -> {
                    try (Statement s = tx.createStatement()) {
                        KeystoreScrub.vacuumFullPolitely(s, "lethe_keys.key_buckets",
                                System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60));
                    }
                    return null;
                }));
        try {
            awaitVacuumFullAsked();

            long buckets = db.keystore().query(tx -> {
                try (Statement s = tx.createStatement()) {
                    // why: behind a queued VACUUM FULL this read would wait for the holder, which waits for this test
                    s.execute("SET statement_timeout = '10s'");
                    try (ResultSet rs = s.executeQuery("SELECT count(*) FROM lethe_keys.key_buckets")) {
                        rs.next();
                        return rs.getLong(1);
                    } finally {
                        s.execute("RESET statement_timeout");
                    }
                }
            });

            org.assertj.core.api.Assertions.assertThat(buckets).isPositive();
            org.assertj.core.api.Assertions.assertThat(scrub).as("the scrub still waits for the holder").isNotDone();
        } finally {
            release.countDown();
        }
        holder.get(30, java.util.concurrent.TimeUnit.SECONDS);
        scrub.get(30, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** Until a backend of this database has run the scrub's VACUUM FULL (it then keeps asking for its lock). */
    private void awaitVacuumFullAsked() throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            boolean asked = db.keystore().query(tx -> {
                try (Statement s = tx.createStatement(); ResultSet rs = s.executeQuery("SELECT EXISTS (SELECT 1 FROM "
                        + "pg_stat_activity WHERE datname = current_database() AND query LIKE 'VACUUM FULL%')")) {
                    rs.next();
                    return rs.getBoolean(1);
                }
            });
            if (asked) {
                return;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("the scrub never asked for its lock");
    }
}
