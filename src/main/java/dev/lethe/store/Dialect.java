package dev.lethe.store;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The few places where SQLite and PostgreSQL differ. Defaults are ANSI / shared SQL;
 * each backend overrides only what it must. Only {@code store/} sees it: domain code reaches
 * the fragments and locks through {@link Tx}, and {@link Database} asks it how to run a unit of work.
 */
interface Dialect {

    StoreKind kind();

    /** A prepared statement of {@code sql} on the unit of work's connection; closing it ends the caller's use. */
    default java.sql.PreparedStatement prepare(Connection c, String sql) throws SQLException {
        return c.prepareStatement(sql);
    }

    /** The placeholder for a JSON document bound as text. */
    default String jsonParam() {
        return "?";
    }

    /**
     * For the rest of the transaction, plans walk an index in the order a statement asks for and stop at its limit,
     * instead of reading every matching row and sorting them. For a queue's head, whose statistics are taken between
     * bursts (when almost nothing waits) and are wrong during one. Nothing where the planner keeps no statistics.
     */
    default void orderedScans(Connection c) throws SQLException {
    }

    /** Appended to a candidate select so concurrent claimers skip each other's rows. */
    default String skipLocked() {
        return "";
    }

    /**
     * Appended to a select of a row that a concurrent update must wait for until this transaction ends (and that,
     * once updated, this reads as updated). Nothing where writers are serialized already (the embedded store).
     */
    default String forShare() {
        return "";
    }

    /** Like {@link #forShare}, for a row this transaction is about to update: a concurrent update waits for it. */
    default String forUpdate() {
        return "";
    }

    /**
     * Makes the row of {@code (project_id, key)} in {@code table} exist (inserting {@code emptyValues} if
     * it did not) and locks it until the transaction ends, so a read-modify-write of it cannot lose a
     * concurrent writer's change. Nothing to do where writers are serialized already (the embedded store).
     *
     * @param insertMissing the INSERT of an empty row, with its own bound parameters, ending in an
     *                      {@code ON CONFLICT ... DO NOTHING}
     * @param lockExisting  a {@code SELECT ... FOR UPDATE} of the row
     */
    default void lockRowForUpdate(Tx tx, Tx.Step insertMissing, Tx.Step lockExisting) throws SQLException {
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


    /** Called once the schema is migrated, before the store is used. */
    default void opened(DataSource ds) {
    }

    /** Called when the store closes, before its connections do: stops what {@link #opened} started. */
    default void closed() {
    }

    /**
     * Runs the work holding this process's turn at the store's write lock (a write transaction, a checkpoint) and
     * returns what it returned. A server store with row locks needs no turn and runs it at once.
     */
    default <T> T asWriter(WriterQueue.Work<T> work) throws SQLException {
        return work.run();
    }

    /** Whether a request's write waits for this process's turn at the write lock ({@link #asWriter}). */
    default boolean requestsWaiting() {
        return false;
    }

    /** Commits the transaction of a connection in manual-commit mode. */
    default void commit(Connection c) throws SQLException {
        c.commit();
    }

    /** Called before a read whose result sets should stream in pages of the fetch size rather than all at once. */
    default void beginStreamingRead(Connection c) throws SQLException {
    }

    /** Called after such a read, also when it failed. */
    default void endStreamingRead(Connection c) throws SQLException {
    }

    /**
     * Called after rows of {@code table} were rewritten to drop ids kept in clear (the task id
     * retention): removes the old row versions where the store keeps them (PostgreSQL). The
     * embedded store zeroes them on update (secure_delete) and its rebuild ({@link #compact}) clears the rest.
     */
    default void cleanRewrittenRows(Connection c, String table) throws SQLException {
    }

    /** Whether {@link #compact} does anything, so a {@link Compactor} needs its background thread. */
    default boolean compacts() {
        return false;
    }

    /**
     * Rebuilds the store's files so no stale copy of deleted rows survives in unused space;
     * run in the background, coalesced, by {@link Compactor}. Nothing to do by default.
     */
    /**
     * Removes the old versions of rows that were rewritten in place across whole tables (start-up sealing,
     * {@link ContentSealing}): on SQLite a rebuild of the file, on PostgreSQL a VACUUM of the tables.
     */
    void removeOldRowVersions(Connection c, java.util.List<String> tables) throws SQLException;

    default void compact(Connection c) throws SQLException {
    }

    /**
     * Called inside the transaction that verifies a deletion: holds back concurrent event inserts into the
     * project until that transaction ends, so no event of the person can be committed between the final check
     * and the commit. Inserts into other projects go on.
     */
    void blockEventWrites(Connection c, long projectId) throws SQLException;

    /**
     * Called before a transaction inserts events into the project: waits while a deletion's final transaction
     * holds the project's event writes back ({@link #blockEventWrites}), and holds that transaction back until
     * this one ends. A store with a single writer needs nothing.
     */
    default void shareEventWrites(Connection c, long projectId) throws SQLException {
    }

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
