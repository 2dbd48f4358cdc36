package dev.lethe.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The few places where SQLite and PostgreSQL differ. Defaults are ANSI / shared SQL;
 * each backend overrides only what it must.
 */
public interface Dialect {

    StoreKind kind();

    /** The placeholder for a JSON document bound as text. */
    default String jsonParam() {
        return "?";
    }

    /** Appended to a candidate select so concurrent claimers skip each other's rows. */
    default String skipLocked() {
        return "";
    }

    /**
     * Called before events with these times are inserted, so a partitioned store can
     * make sure the partitions exist.
     */
    default void prepareEventTimes(Connection c, long minTimeMs, long maxTimeMs) throws SQLException {
    }

    /**
     * Called once the final step of a deletion has committed: makes sure the deleted
     * bytes do not linger in the store's files.
     */
    void scrubAfterDeletion(Connection c) throws SQLException;

    /**
     * Rebuilds the store's files so no stale copy of deleted rows survives in unused space;
     * run in the background, coalesced, by {@link Compactor}. Nothing to do by default.
     */
    default void compact(Connection c) throws SQLException {
    }

    /**
     * Called inside the transaction that verifies a deletion and marks it SUCCESS:
     * holds back concurrent event inserts until that transaction ends, so no event of
     * the person can be committed between the final check and the SUCCESS.
     */
    void blockEventWrites(Connection c) throws SQLException;
}
