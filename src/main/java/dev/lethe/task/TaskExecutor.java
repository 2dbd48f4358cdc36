package dev.lethe.task;

import java.util.LinkedHashSet;
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
}
