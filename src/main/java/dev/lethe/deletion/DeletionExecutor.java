package dev.lethe.deletion;

import dev.lethe.event.EventStore;
import dev.lethe.identity.PersonResolver;
import dev.lethe.project.PersonalProperties;
import dev.lethe.project.ProjectStore;
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
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The STARTED phase of a deletion. Suppresses first (if asked) so ingestion stops storing,
 * erases in short batches while ingestion goes on, then in one final transaction that holds
 * back event writes: re-resolves the person, erases what arrived meanwhile and verifies that
 * nothing is left; then destroys the person's keys and marks the task SUCCESS. Every step is safe to
 * repeat after a crash. An
 * anonymizing deletion ({@link Task#anonymizes}) runs the same steps with the events rewritten under a
 * pseudonym ({@link Anonymization}) instead of deleted, and verifies the rewritten events too.
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
    private final Clock clock;
    private final EventStore events;
    private final ProjectStore projects;
    private final ErasureSteps steps;

    /**
     * @param events and {@code projects}: what an anonymizing deletion rewrites, and where its personal properties are set
     * @param steps  where the keystore's scrub after SUCCESS is recorded, for the erasure certificate
     */
    public DeletionExecutor(Database db, PersonResolver resolver, PersonEraser eraser, SuppressionStore suppressions,
                            int batchSize, Clock clock, EventStore events, ProjectStore projects,
                            ErasureSteps steps) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("delete batch size must be at least 1");
        }
        this.db = db;
        this.resolver = resolver;
        this.eraser = eraser;
        this.suppressions = suppressions;
        this.batchSize = batchSize;
        this.clock = clock;
        this.events = events;
        this.projects = projects;
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
        try {
            erase(task, run);
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
        boolean scrubbed = scrubKeystore();
        recordSteps(task, scrubbed);
    }

    /** Erases the person, destroys their keys and marks the task SUCCESS. */
    private void erase(Task task, TaskRun run) {
        long projectId = task.projectId();
        Anonymization anonymization = task.anonymizes()
                ? new Anonymization(events, PersonalProperties.effective(projects.personalProperties(projectId))) : null;
        PersonEraser.EventStep step = anonymization != null ? anonymization : eraser.deleting();
        DeletionCounts counts = anonymization != null
                ? DeletionCounts.anonymizingFrom(task.counts()) : DeletionCounts.resumedFrom(task.counts());
        Set<String> ids = new TreeSet<>(task.distinctIds());
        if (task.personIds() != null) {
            ids.addAll(task.personIds());
        }
        if (!counts.knowsLinks()) {
            // why: the check tells the requester which ids a link brought in and through what kind
            // of link; only possible before the links are erased, so a rerun keeps the first answer.
            Map<String, PersonResolver.Reach> reach = resolver.explain(projectId, task.distinctIds());
            Set<String> all = new TreeSet<>(ids);
            all.addAll(reach.keySet());
            for (String id : all) {
                PersonResolver.Reach r = reach.get(id);
                counts.linkedBy(r == null ? "linked_when_staged"
                        : r.kind() == null ? "requested" : r.kind().name().toLowerCase(Locale.ROOT));
            }
        }
        ids = resolver.resolve(projectId, ids);
        Set<String> resolved = ids;
        if (db.withConnection(c -> eraser.fitsOneBatch(c, projectId, resolved, batchSize))) {
            // why: a person with at most one batch of events needs no batched passes: the final
            // step alone erases them while holding back event writes no longer than one batch would.
            // It gives way to the batched passes if the person grew through new links meanwhile.
            if (finish(task, run, resolved, counts, true, step, anonymization)) {
                return;
            }
            ids = resolver.resolve(projectId, resolved);
        }
        for (int pass = 0; pass < MAX_BATCHED_PASSES; pass++) {
            Set<String> person = ids;
            db.inTransaction(c -> {
                suppress(c, task, person);
                return null;
            });
            eraser.eraseEventsInBatches(projectId, person, batchSize, counts, () -> run.progress(counts.json()), step);
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
        finish(task, run, ids, counts, false, step, anonymization);
    }

    /**
     * The final transaction, holding back event writes: re-resolves the person, erases what is left and verifies that
     * nothing remains; then the person's keys are destroyed and a last short transaction lifts the hold and records
     * SUCCESS. With {@code onlyIfUnchanged} it writes nothing and returns false when the person is no longer
     * {@code known}. An anonymization (null for a deletion) also has every event under its pseudonym checked.
     */
    private boolean finish(Task task, TaskRun run, Set<String> known, DeletionCounts counts, boolean onlyIfUnchanged,
                           PersonEraser.EventStep step, Anonymization anonymization) {
        long projectId = task.projectId();
        Set<String> erased = db.inTransaction(tx -> {
            tx.lockProjectErasure(projectId);
            tx.blockEventWrites(projectId);
            Set<String> person = resolver.resolve(tx, projectId, known);
            if (onlyIfUnchanged && !person.equals(known)) {
                return null;
            }
            suppress(tx, task, person);
            eraser.eraseAll(tx, projectId, person, batchSize, counts, step);
            eraser.verifyGone(tx, projectId, person);
            if (anonymization != null) {
                anonymization.sweepAndVerify(tx, projectId, person, counts);
            }
            return person;
        });
        if (erased == null) {
            return false;
        }
        // why: outside the final transaction, which holds the project's erasure lock (and on SQLite the store's one
        // writer turn): the destruction waits for the keystore's scrub of other deletions (on PostgreSQL a VACUUM FULL
        // of the bucket table, which locks it whole), and no other deletion should wait behind it. The hold set above
        // stays until SUCCESS, so nothing of the person is stored meanwhile; should this step or the next fail, the
        // retry finds nothing left to erase and destroys the keys again.
        eraser.destroyKeys(projectId, erased);
        db.inTransaction(tx -> {
            counts.ids(erased.size());
            counts.dropped(suppressions.droppedUnder(tx, projectId, erased, task.id()));
            if (!task.suppress()) {
                suppressions.release(tx, projectId, task.id());
            }
            run.succeed(tx, counts.json(), null, null);
            return null;
        });
        return true;
    }

    /** A requested suppression, else a hold that SUCCESS lifts. */
    private void suppress(Tx tx, Task task, Set<String> person) throws SQLException {
        if (task.suppress()) {
            suppressions.suppress(tx, task.projectId(), person, task.id(), clock.millis());
        } else {
            suppressions.hold(tx, task.projectId(), person, task.id(), clock.millis());
        }
    }

    /**
     * Removes the destroyed keys' old copies from the keystore's files. The main store needs no scrub: what
     * is left of the person there (free pages, the WAL, dead tuples) is sealed with keys that are gone.
     * Whether the scrub ran to completion.
     */
    private boolean scrubKeystore() {
        try {
            db.scrubKeystore();
            return true;
        } catch (StoreException e) {
            // why: the task is already SUCCESS and its keys are gone; the next deletion's scrub
            // finishes this one, so this must not turn into a FAILURE.
            log.warn("scrubbing the keystore after a deletion failed", e);
            return false;
        }
    }

    private void recordSteps(Task task, boolean scrubbed) {
        long at = clock.millis();
        List<ErasureSteps.Step> done = new ArrayList<>();
        // why: the destruction and the re-keying were verified before the transaction that recorded SUCCESS
        for (String step : db.keystore().destroySteps()) {
            done.add(new ErasureSteps.Step(step, ErasureSteps.DONE, at));
        }
        for (String step : db.keystore().scrubSteps()) {
            done.add(new ErasureSteps.Step(step, scrubbed ? ErasureSteps.DONE : ErasureSteps.FAILED, at));
        }
        try {
            steps.record(task.id(), done);
        } catch (StoreException e) {
            // why: as with the scrub, the erasure itself is done; the certificate then lists fewer steps.
            log.warn("recording the erasure steps of deletion {} failed", task.trackingId(), e);
        }
    }
}
