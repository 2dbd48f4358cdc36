package dev.lethe.task;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.identity.IdentityStore;
import dev.lethe.identity.PersonResolver;
import dev.lethe.json.Json;
import dev.lethe.store.Database;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A test executor that records every task it is handed and then does what its {@link Step}
 * says; by default it succeeds with {@code {"events_deleted": 3}}.
 */
public final class RecordingExecutor implements TaskExecutor {

    /** What the executor does with a task after recording it. */
    @FunctionalInterface
    public interface Step {
        void run(Task task, TaskRun run) throws Exception;
    }

    /** Stands for the process dying mid-task: nothing the engine can catch and record. */
    public static final class SimulatedCrash extends Error {
        public SimulatedCrash() {
            super("simulated crash", null, false, false);
        }
    }

    /** What the executor does with a group of tasks ({@link TaskExecutor#runTogether}): returns those it finished. */
    @FunctionalInterface
    public interface GroupStep {
        List<Started> run(List<Started> group);
    }

    private final TaskKind kind;
    private final Database db;
    private final List<Task> calls = new CopyOnWriteArrayList<>();
    private final List<List<Task>> groups = new CopyOnWriteArrayList<>();
    private volatile Step step;
    private volatile int together = 1;
    private volatile GroupStep groupStep = group -> List.of();

    public RecordingExecutor(TaskKind kind, Database db) {
        this.kind = kind;
        this.db = db;
        this.step = this::succeed;
    }

    public RecordingExecutor then(Step next) {
        this.step = next;
        return this;
    }

    /** Takes up to {@code n} fresh tasks of a project at once and hands each group to {@code groupStep}. */
    public RecordingExecutor together(int n, GroupStep groupStep) {
        this.together = n;
        this.groupStep = groupStep;
        return this;
    }

    @Override
    public int together() {
        return together;
    }

    @Override
    public List<Started> runTogether(List<Started> group) {
        groups.add(group.stream().map(Started::task).toList());
        return groupStep.run(group);
    }

    /** The groups handed to {@link #runTogether}, in order. */
    public List<List<Task>> groups() {
        return List.copyOf(groups);
    }

    /** The default step: one SUCCESS in its own transaction, with a count and, for retrievals, an archive path. */
    public void succeed(Task task, TaskRun run) {
        ObjectNode counts = Json.object().put("events_deleted", 3);
        db.inTransaction(c -> {
            run.succeed(c, counts, kind == TaskKind.RETRIEVAL ? "archives/" + task.trackingId() + ".zip" : null,
                    kind == TaskKind.RETRIEVAL ? task.dateRequested() + 86_400_000L : null);
            return null;
        });
    }

    @Override
    public TaskKind kind() {
        return kind;
    }

    /** Like the real executors: the requested ids and every id linked to them. */
    @Override
    public Set<String> prepare(Task task) {
        return new PersonResolver(db, new IdentityStore(db)).resolve(task.projectId(), task.distinctIds());
    }

    @Override
    public void run(Task task, TaskRun run) throws Exception {
        calls.add(task);
        step.run(task, run);
    }

    public List<Task> calls() {
        return List.copyOf(calls);
    }

    public List<String> trackingIds() {
        return calls.stream().map(Task::trackingId).toList();
    }
}
