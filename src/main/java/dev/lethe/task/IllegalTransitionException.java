package dev.lethe.task;

/** A move the task state machine does not allow: always a bug, never a client error. */
public final class IllegalTransitionException extends IllegalStateException {
    public IllegalTransitionException(TaskStatus from, TaskStatus to) {
        super("illegal task transition " + from + " -> " + to);
    }
}
