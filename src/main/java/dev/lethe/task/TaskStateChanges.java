package dev.lethe.task;

import dev.lethe.store.Tx;

import java.sql.SQLException;
import java.util.List;

/**
 * Told of every move of a task's state (its creation as PENDING included), inside the transaction
 * that makes the move: what it writes commits or rolls back with the move, so nothing is lost and
 * nothing is told of a move that did not happen. It must only write rows, never wait on anything
 * outside the store, since the task's transaction holds its locks meanwhile. {@code webhook/}'s
 * outbox is the one listener; the task package does not know it.
 */
@FunctionalInterface
public interface TaskStateChanges {

    TaskStateChanges NONE = (tx, projectId, taskId, to, at) -> {
    };

    /** The task with row id {@code taskId}, of project {@code projectId}, has just moved to {@code to} at {@code at} (epoch ms). */
    void moved(Tx tx, long projectId, long taskId, TaskStatus to, long at) throws SQLException;

    /** The task has just moved through each of {@code moves} in turn, in one update, at {@code at}. */
    default void moved(Tx tx, long projectId, long taskId, List<TaskStatus> moves, long at) throws SQLException {
        for (TaskStatus to : moves) {
            moved(tx, projectId, taskId, to, at);
        }
    }
}
