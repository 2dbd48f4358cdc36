package dev.lethe.task;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The work of one kind of task: {@link #prepare} in STAGING names the ids the task covers (the engine
 * records them as {@link Task#personIds()} with the move to STARTED), then {@link #run} does the
 * STARTED phase once the engine has won that move.
 * <p>
 * {@link #run} must be idempotent: after a crash it is called again from the beginning on
 * a task whose earlier run did part of the work. It ends by calling
 * {@link TaskRun#succeed} in its final transaction; if it throws, the engine records a
 * FAILURE (or, for {@link LeaseLostException}, leaves the task to its new holder).
 * <p>
 * An executor whose {@link #together()} is above 1 may also run a group of fresh tasks of one project with
 * {@link #runTogether}, sharing their transactions; whatever it leaves unfinished the engine runs with {@link #run}.
 */
public interface TaskExecutor {

    TaskKind kind();

    /**
     * The ids this task covers, computed in STAGING before the move to STARTED; for a GDPR task the
     * requested ids and every id linked to them. By default the requested ids alone.
     */
    default Set<String> prepare(Task task) {
        return new LinkedHashSet<>(task.distinctIds());
    }

    void run(Task task, TaskRun run) throws Exception;

    /** A STARTED task of a group, and the run that records its moves. */
    record Started(Task task, TaskRun run) {
    }

    /** How many PENDING tasks of this kind and one project a worker may claim at once and hand to {@link #runTogether}. */
    default int together() {
        return 1;
    }

    /**
     * Runs a group of STARTED tasks of one project, in the order they were queued, sharing transactions where it can.
     * Returns the tasks whose SUCCESS it committed; the engine runs each of the others with {@link #run}, from the
     * beginning, so whatever this did must be as safe to repeat as a crashed run. A task whose lease was lost is left
     * to its new holder. By default it finishes none.
     */
    default List<Started> runTogether(List<Started> group) {
        return List.of();
    }
}
