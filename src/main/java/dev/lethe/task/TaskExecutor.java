package dev.lethe.task;

/**
 * The STARTED phase of one kind of task. The engine has already resolved the person
 * ({@link Task#personIds()}) and won the move to STARTED.
 * <p>
 * {@link #run} must be idempotent: after a crash it is called again from the beginning on
 * a task whose earlier run did part of the work. It ends by calling
 * {@link TaskRun#succeed} in its final transaction; if it throws, the engine records a
 * FAILURE (or, for {@link LeaseLostException}, leaves the task to its new holder).
 */
public interface TaskExecutor {

    TaskKind kind();

    void run(Task task, TaskRun run) throws Exception;
}
