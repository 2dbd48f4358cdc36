package dev.lethe.task;

import dev.lethe.metrics.LetheMetrics;
import dev.lethe.store.StoreActivity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Takes tasks through their states: claim (PENDING to STAGING), the executor's
 * {@link TaskExecutor#prepare} recorded with the compare-and-set to STARTED, then the {@link TaskExecutor} of the task's kind.
 * {@link #runOnce()} is one worker poll; {@link TaskWorkers} calls it on a schedule and
 * tests call it directly. Time comes from the injected clock only.
 */
public final class TaskEngine {

    private static final Logger log = LoggerFactory.getLogger(TaskEngine.class);

    private final TaskClaims claims;
    private final Map<TaskKind, TaskExecutor> executors;
    private final Clock clock;
    private final Duration lease;
    private final String owner;
    private final StoreActivity activity;
    private final LetheMetrics metrics;
    private volatile boolean stopping;

    /** @param metrics counts the runs this engine ends, by kind and end state, with their durations */
    public TaskEngine(TaskClaims claims, Map<TaskKind, TaskExecutor> executors,
                      Clock clock, Duration lease, StoreActivity activity, LetheMetrics metrics) {
        executors.forEach((kind, executor) -> {
            if (executor.kind() != kind) {
                throw new IllegalArgumentException("executor for " + executor.kind() + " registered as " + kind);
            }
        });
        this.claims = claims;
        this.executors = executors.isEmpty() ? Map.of() : new EnumMap<>(executors);
        this.clock = clock;
        this.lease = lease;
        this.activity = activity;
        this.metrics = metrics;
        this.owner = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);
        Set<TaskKind> missing = EnumSet.allOf(TaskKind.class);
        missing.removeAll(this.executors.keySet());
        if (!missing.isEmpty()) {
            log.error("no task executor registered for {}: such tasks will end in FAILURE", missing);
        }
    }

    /**
     * One worker poll: claims a task, or a group of fresh tasks of one project for an executor that runs them
     * together ({@link TaskExecutor#together()}), and takes them as far as they go. Returns whether it found any.
     * A fresh task is claimed and started in one transaction, its person resolved just before.
     */
    public boolean runOnce() {
        long now = clock.millis();
        List<Task> claimed = claims.claimAndStart(owner, now, now + lease.toMillis(), this::together, this::prepared);
        if (claimed.isEmpty()) {
            return false;
        }
        // why: a task's writes (and the rebuild it may request) count as activity until it ends,
        // however long it runs, so the compactor does not take the write lock from under it.
        try (StoreActivity.Work ignored = activity.begin()) {
            if (claimed.size() == 1) {
                process(claimed.get(0));
            } else {
                processGroup(executors.get(claimed.get(0).kind()), claimed);
            }
        }
        return true;
    }

    private int together(TaskKind kind) {
        TaskExecutor executor = executors.get(kind);
        return executor == null ? 1 : Math.max(1, executor.together());
    }

    /** Asks in-flight work to stop: a task whose executor then throws is abandoned to its lease, not failed. */
    void stopping() {
        stopping = true;
    }

    private void process(Task task) {
        TaskExecutor executor = executors.get(task.kind());
        if (executor == null) {
            claims.fail(task.id(), task.version(), "no executor for " + task.kind(), clock.millis());
            return;
        }
        Task current = task;
        try {
            if (current.status() == TaskStatus.STAGING) {
                Optional<Task> started = stageAndStart(executor, current);
                if (started.isEmpty()) {
                    log.info("task {} was cancelled or taken over before it started", task.trackingId());
                    return;
                }
                current = started.get();
            }
            execute(executor, current);
        } catch (LeaseLostException e) {
            log.info("{}; its new holder finishes it", e.getMessage());
        } catch (RuntimeException e) {
            abandonOrFail(current, current.version(), e);
        }
    }

    /**
     * The person of a fresh task, resolved before its claim; empty when that failed (or no executor takes the kind):
     * the task is then claimed alone, and the failure recorded against it as the executor prepares it again.
     */
    private Optional<Set<String>> prepared(Task task) {
        TaskExecutor executor = executors.get(task.kind());
        if (executor == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(executor.prepare(task));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Fresh tasks of one project claimed and started together: the executor runs them together; what it leaves
     * unfinished runs alone, as after a crash.
     */
    private void processGroup(TaskExecutor executor, List<Task> started) {
        List<TaskExecutor.Started> group = new ArrayList<>();
        for (Task task : started) {
            group.add(new TaskExecutor.Started(task, new LeasedRun(claims, clock, lease, task)));
        }
        long begun = clock.millis();
        Set<Long> finished = new HashSet<>();
        try {
            for (TaskExecutor.Started done : executor.runTogether(List.copyOf(group))) {
                finished.add(done.task().id());
            }
        } catch (RuntimeException e) {
            // why: every step of a task is safe to repeat, so what the group did not finish runs alone below
            log.info("a group of {} tasks stopped ({}); its unfinished tasks run one by one", group.size(),
                    e.getClass().getSimpleName());
        }
        for (TaskExecutor.Started member : group) {
            if (finished.contains(member.task().id())) {
                ended(member.task(), TaskStatus.SUCCESS, begun);
                continue;
            }
            // why: read back, since a SUCCESS the group committed before it threw must not run again (its hold would
            // outlive it), nor may a task another worker took over meanwhile
            Optional<Task> current = claims.current(member.task().id());
            if (current.isEmpty() || current.get().status() != TaskStatus.STARTED
                    || !owner.equals(current.get().owner())) {
                log.info("task {} finished or changed hands during its group", member.task().trackingId());
                continue;
            }
            try {
                execute(executor, current.get());
            } catch (LeaseLostException e) {
                log.info("{}; its new holder finishes it", e.getMessage());
            }
        }
    }

    private Optional<Task> stageAndStart(TaskExecutor executor, Task task) {
        Set<String> person = executor.prepare(task);
        long now = clock.millis();
        return claims.stageAndStart(task, person, now, now + lease.toMillis());
    }

    private void execute(TaskExecutor executor, Task started) {
        LeasedRun run = new LeasedRun(claims, clock, lease, started);
        long begun = clock.millis();
        try {
            executor.run(started, run);
            if (run.succeeded()) {
                ended(started, TaskStatus.SUCCESS, begun);
            } else if (claims.fail(started.id(), run.version(),
                    "the " + started.kind() + " executor returned without recording success", clock.millis())) {
                ended(started, TaskStatus.FAILURE, begun);
            }
        } catch (LeaseLostException e) {
            throw e;
        } catch (Exception e) {
            if (abandonOrFail(started, run.version(), e)) {
                ended(started, TaskStatus.FAILURE, begun);
            }
        }
    }

    /** Whether the store rolled a transaction back on its own (SQLSTATE class 40: deadlock, serialization failure). */
    static boolean rolledBackByTheStore(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("40")) {
                return true;
            }
        }
        return false;
    }

    private void ended(Task task, TaskStatus state, long begunMs) {
        metrics.taskFinished(task.kind().name(), state.name(), Duration.ofMillis(Math.max(0, clock.millis() - begunMs)));
    }

    /** Returns whether this engine recorded the failure. */
    private boolean abandonOrFail(Task task, long version, Exception e) {
        if (stopping) {
            log.info("task {} interrupted by shutdown; another worker resumes it when the lease expires", task.trackingId());
            return false;
        }
        if (rolledBackByTheStore(e)) {
            // why: the store aborted a transaction to break a deadlock or a serialization conflict (SQLSTATE class 40);
            // every step of a task is safe to repeat, so it is resumed, as after a crash, once its lease expires
            log.info("task {} hit a transaction the store rolled back ({}); it is resumed when its lease expires",
                    task.trackingId(), e.getClass().getSimpleName());
            return false;
        }
        log.warn("task {} failed", task.trackingId(), e);
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (!claims.fail(task.id(), version, message, clock.millis())) {
            log.info("task {} changed hands before its failure could be recorded", task.trackingId());
            return false;
        }
        return true;
    }
}
