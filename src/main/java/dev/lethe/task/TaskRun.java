package dev.lethe.task;

import dev.lethe.store.Tx;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.sql.SQLException;

/** What the task engine offers an executor while it runs a STARTED task. */
public interface TaskRun {

    /** Extends the lease. Throws {@link LeaseLostException} if this worker no longer holds the task. */
    void heartbeat();

    /** Records progress counts, shown with {@code verbose=1}; also extends the lease. */
    void progress(ObjectNode counts);

    /**
     * Moves the task to SUCCESS inside the caller's transaction, so the final verification
     * and the SUCCESS commit together. Throws {@link LeaseLostException} if the lease is lost.
     *
     * @param resultPath      the archive file of a retrieval, else null
     * @param resultExpiresAt when the archive expires (epoch ms), else null
     */
    void succeed(Tx tx, ObjectNode counts, String resultPath, Long resultExpiresAt) throws SQLException;
}
