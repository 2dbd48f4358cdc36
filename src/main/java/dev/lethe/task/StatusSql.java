package dev.lethe.task;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The predicates on {@code tasks.status} that the task statements use, built from the one
 * transition table ({@link TaskStatus#canMove}) so no statement can move a task along an arrow
 * the state machine does not have. The values are enum names, never input.
 */
final class StatusSql {

    /** Unfinished tasks: what a worker resumes, what duplicates and the admission cap count. */
    static final String ACTIVE = in(EnumSet.copyOf(
            EnumSet.allOf(TaskStatus.class).stream().filter(TaskStatus::isActive).toList()));

    private StatusSql() {
    }

    /** {@code status IN (...)} of every state that may move to {@code to}: the guard of that move. */
    static String movableTo(TaskStatus to) {
        Set<TaskStatus> sources = TaskStatus.sourcesOf(to);
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("no state may move to " + to);
        }
        return in(sources);
    }

    /** {@code status = 'TO'}: the assignment of a move. */
    static String set(TaskStatus to) {
        return "status = '" + to.name() + "'";
    }

    static String in(Set<TaskStatus> states) {
        return states.stream().map(s -> "'" + s.name() + "'").collect(Collectors.joining(", ", "status IN (", ")"));
    }
}
