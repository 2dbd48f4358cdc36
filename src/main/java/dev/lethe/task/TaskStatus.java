package dev.lethe.task;

import java.util.EnumSet;
import java.util.Set;

/**
 * The stored states of a GDPR task and the only moves between them.
 * {@code NOT_FOUND} and {@code UNKNOWN} are answers of the API, never stored.
 */
public enum TaskStatus {
    PENDING, STAGING, STARTED, SUCCESS, FAILURE, REVOKED;

    /** Whether a task may move from {@code from} to {@code to}. A pure function, tested for every pair. */
    public static boolean canMove(TaskStatus from, TaskStatus to) {
        return switch (from) {
            case PENDING -> to == STAGING || to == REVOKED || to == FAILURE;
            case STAGING -> to == STARTED || to == REVOKED || to == FAILURE;
            case STARTED -> to == SUCCESS || to == FAILURE;
            case SUCCESS, FAILURE, REVOKED -> false;
        };
    }

    /** Every state a task may move to {@code to} from: what the guard of the SQL making that move must allow. */
    public static Set<TaskStatus> sourcesOf(TaskStatus to) {
        Set<TaskStatus> out = EnumSet.noneOf(TaskStatus.class);
        for (TaskStatus from : values()) {
            if (canMove(from, to)) {
                out.add(from);
            }
        }
        return out;
    }

    /** Throws {@link IllegalTransitionException} unless the move is allowed. */
    public static void requireMove(TaskStatus from, TaskStatus to) {
        if (!canMove(from, to)) {
            throw new IllegalTransitionException(from, to);
        }
    }

    /** A cancel succeeds (or is a repeat) only before any data is touched. */
    public boolean isCancellable() {
        return this == PENDING || this == STAGING;
    }

    public boolean isTerminal() {
        return this == SUCCESS || this == FAILURE || this == REVOKED;
    }

    /** States a worker picks up: not yet finished and not cancelled. */
    public boolean isActive() {
        return this == PENDING || this == STAGING || this == STARTED;
    }
}
