package dev.lethe.deletion;

import dev.lethe.identity.PersonResolver;
import dev.lethe.store.Compactor;
import dev.lethe.store.Database;
import dev.lethe.store.StoreException;
import dev.lethe.store.Tx;
import dev.lethe.suppression.SuppressionStore;
import dev.lethe.task.LeaseLostException;
import dev.lethe.task.Task;
import dev.lethe.task.TaskExecutor;
import dev.lethe.task.TaskKind;
import dev.lethe.task.TaskRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The STARTED phase of a deletion. Suppresses first (if asked) so ingestion stops storing,
 * erases in short batches while ingestion goes on, then in one final transaction that holds
 * back event writes: re-resolves the person, erases what arrived meanwhile, verifies that
 * nothing is left and marks the task SUCCESS. Every step is safe to repeat after a crash.
 */
public final class DeletionExecutor implements TaskExecutor {

    private static final Logger log = LoggerFactory.getLogger(DeletionExecutor.class);

    /** Batched passes over a person that keeps growing through new links before the final step takes over. */
    private static final int MAX_BATCHED_PASSES = 3;

    private final Database db;
    private final PersonResolver resolver;
    private final PersonEraser eraser;
    private final SuppressionStore suppressions;
    private final int batchSize;
    private final Compactor compactor;
    private final Clock clock;
    private final ErasureSteps steps;

    /** @param steps where the scrub and rebuild request after SUCCESS are recorded, for the erasure certificate */
    public DeletionExecutor(Database db, PersonResolver resolver, PersonEraser eraser, SuppressionStore suppressions,
                            int batchSize, Compactor compactor, Clock clock, ErasureSteps steps) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("delete batch size must be at least 1");
        }
        this.db = db;
        this.resolver = resolver;
        this.eraser = eraser;
        this.suppressions = suppressions;
        this.batchSize = batchSize;
        this.compactor = compactor;
        this.clock = clock;
        this.steps = steps;
    }

    @Override
    public TaskKind kind() {
        return TaskKind.DELETION;
    }

    /** The requested ids and every id linked to them. */
    @Override
    public Set<String> prepare(Task task) {
        return resolver.resolve(task.projectId(), task.distinctIds());
    }

    @Override
    public void run(Task task, TaskRun run) {
        Set<String> partitions;
        try {
            partitions = erase(task, run);
        } catch (LeaseLostException e) {
            throw e;
        } catch (RuntimeException e) {
            // why: a failed deletion must not leave its hold, or the person's ingestion stays blocked.
            if (!task.suppress()) {
                db.inTransaction(c -> {
                    suppressions.release(c, task.projectId(), task.id());
                    return null;
                });
            }
            throw e;
        }
        boolean scrubbed = scrub(partitions);
        compactor.request();
        recordSteps(task, scrubbed);
    }

    /** Erases the person and marks the task SUCCESS; returns the event partitions it deleted from. */
    private Set<String> erase(Task task, TaskRun run) {
        long projectId = task.projectId();
        DeletionCounts counts = DeletionCounts.resumedFrom(task.counts());
        Set<String> ids = new TreeSet<>(task.distinctIds());
        if (task.personIds() != null) {
            ids.addAll(task.personIds());
        }
        ids = resolver.resolve(projectId, ids);
        Set<String> resolved = ids;
        if (db.withConnection(c -> eraser.fitsOneBatch(c, projectId, resolved, batchSize))) {
            // why: a person with at most one batch of events needs no batched passes: the final
            // step alone erases them while holding back event writes no longer than one batch would.
            // It gives way to the batched passes if the person grew through new links meanwhile.
            if (finish(task, run, resolved, counts, true)) {
                return counts.eventPartitions();
            }
            ids = resolver.resolve(projectId, resolved);
        }
        for (int pass = 0; pass < MAX_BATCHED_PASSES; pass++) {
            Set<String> person = ids;
            db.inTransaction(c -> {
                suppress(c, task, person);
                return null;
            });
            eraser.eraseEventsInBatches(projectId, person, batchSize, counts, () -> run.progress(counts.json()));
            // why: links made meanwhile (since STAGING, or by ingestion during the batches) widen
            // the person; its links may only go once no new id hangs off them, or that id is lost.
            Set<String> current = db.inTransaction(c -> {
                Set<String> now = resolver.resolve(c, projectId, person);
                if (now.equals(person)) {
                    eraser.eraseRest(c, projectId, person, counts);
                }
                return now;
            });
            run.progress(counts.json());
            if (current.equals(person)) {
                break;
            }
            ids = current;
        }
        finish(task, run, ids, counts, false);
        return counts.eventPartitions();
    }

    /**
     * The final transaction, holding back event writes: re-resolves the person, erases what is
     * left, verifies that nothing remains and records SUCCESS. With {@code onlyIfUnchanged} it
     * writes nothing and returns false when the person is no longer {@code known}.
     */
    private boolean finish(Task task, TaskRun run, Set<String> known, DeletionCounts counts, boolean onlyIfUnchanged) {
        long projectId = task.projectId();
        return db.inTransaction(tx -> {
            tx.lockProjectErasure(projectId);
            tx.blockEventWrites();
            Set<String> person = resolver.resolve(tx, projectId, known);
            if (onlyIfUnchanged && !person.equals(known)) {
                return false;
            }
            suppress(tx, task, person);
            eraser.eraseAll(tx, projectId, person, batchSize, counts);
            eraser.verifyGone(tx, projectId, person);
            counts.ids(person.size());
            counts.dropped(suppressions.droppedUnder(tx, projectId, person, task.id()));
            if (!task.suppress()) {
                suppressions.release(tx, projectId, task.id());
            }
            run.succeed(tx, counts.json(), null, null);
            return true;
        });
    }

    /** A requested suppression, else a hold that SUCCESS lifts. */
    private void suppress(Tx tx, Task task, Set<String> person) throws SQLException {
        if (task.suppress()) {
            suppressions.suppress(tx, task.projectId(), person, task.id(), clock.millis());
        } else {
            suppressions.hold(tx, task.projectId(), person, task.id(), clock.millis());
        }
    }

    /** Whether the scrub ran to completion. */
    private boolean scrub(Set<String> eventPartitions) {
        try {
            db.scrubAfterDeletion(eventPartitions);
            return true;
        } catch (StoreException e) {
            // why: the task is already SUCCESS and its rows are gone; the store's next
            // checkpoint or vacuum finishes the scrub, so this must not turn into a FAILURE.
            log.warn("scrubbing the store after a deletion failed", e);
            return false;
        }
    }

    private void recordSteps(Task task, boolean scrubbed) {
        long at = clock.millis();
        List<ErasureSteps.Step> done = new ArrayList<>();
        for (String step : db.scrubSteps()) {
            done.add(new ErasureSteps.Step(step, scrubbed ? ErasureSteps.DONE : ErasureSteps.FAILED, at));
        }
        if (db.rebuildsAfterDeletions()) {
            done.add(new ErasureSteps.Step(ErasureSteps.STORE_REBUILD, ErasureSteps.REQUESTED, at));
        }
        try {
            steps.record(task.id(), done);
        } catch (StoreException e) {
            // why: as with the scrub, the erasure itself is done; the certificate then lists fewer steps.
            log.warn("recording the erasure steps of deletion {} failed", task.trackingId(), e);
        }
    }
}
