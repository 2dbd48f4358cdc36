package dev.lethe.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;

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
     * How many event rows one INSERT statement carries. Over a network round trips dominate,
     * so a server store sends many rows a statement; an embedded one gains nothing from it.
     */
    default int rowsPerInsert() {
        return 1;
    }

    /**
     * Called before events with these times are inserted, so a partitioned store can
     * make sure the partitions exist.
     */
    default void prepareEventTimes(Connection c, long minTimeMs, long maxTimeMs) throws SQLException {
    }

    /** Whether {@code events} is split into partitions whose names deletions report. */
    default boolean partitionsEvents() {
        return false;
    }

    /**
     * Called once the final step of a deletion has committed: makes sure the deleted
     * bytes do not linger in the store's files.
     *
     * @param eventPartitions the partitions of {@code events} the deletion deleted from (see
     *                        {@link #partitionsEvents()}); empty on a store without partitions
     */
    void scrubAfterDeletion(Connection c, Set<String> eventPartitions) throws SQLException;

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

    /**
     * Called first in the final transaction of a deletion and of a retrieval of the project:
     * the two serialize, so a retrieval's check for deletions that finished meanwhile and a
     * deletion's sweep of the project's archives cannot both miss each other. Holds until
     * the transaction ends.
     */
    void lockProjectErasure(Connection c, long projectId) throws SQLException;

    /**
     * Serializes the transactions that may add identity links to one project, so two batches
     * cannot both see a device unlinked and link it to two people, or both pass the size cap.
     * Holds until the transaction ends. Callers lock projects in ascending id order.
     */
    void lockProjectIdentity(Connection c, long projectId) throws SQLException;
}
