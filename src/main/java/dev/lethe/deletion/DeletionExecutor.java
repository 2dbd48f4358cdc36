package dev.lethe.deletion;

import dev.lethe.event.EventStore;
import dev.lethe.identity.PersonResolver;
import dev.lethe.project.PersonalProperties;
import dev.lethe.project.ProjectStore;
import dev.lethe.store.Database;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
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
    /**
     * Fresh deletions of one project a worker takes at once. Each final transaction, a key destruction and a keystore
     * scrub cost about as much for one person as for several, and they were most of a small deletion's time; the
     * group's final transactions still hold back event writes for at most one batch of events each.
     */
    static final int TOGETHER = 32;
    /**
     * People of a group a final transaction erases at most: each adds about a dozen statements (re-resolving, the hold,
     * the erasure of each kind of row) to a transaction that holds back the project's event writes; the four counts
     * that verify them run once for all of them.
     */
    static final int PEOPLE_PER_FINAL = 8;

    private final Database db;
    private final PersonResolver resolver;
    private final PersonEraser eraser;
    private final SuppressionStore suppressions;
    private final int batchSize;
    private final Clock clock;
    private final EventStore events;
    private final ProjectStore projects;
    private final ErasureSteps steps;
    private final long heartbeatMs;

    /**
     * @param events and {@code projects}: what an anonymizing deletion rewrites, and where its personal properties are set
     * @param steps  where the keystore's steps are recorded with SUCCESS, for the erasure certificate
     * @param lease  how long a claimed task stays with its worker: a group extends its tasks' leases well before
     */
    public DeletionExecutor(Database db, PersonResolver resolver, PersonEraser eraser, SuppressionStore suppressions,
                            int batchSize, Clock clock, EventStore events, ProjectStore projects,
                            ErasureSteps steps, Duration lease) {
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
        // why: a group's leases are extended after a third of the lease, so a slow store still leaves two thirds spare
        this.heartbeatMs = Math.max(1, lease.toMillis() / 3);
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
    }

    @Override
    public int together() {
        return TOGETHER;
    }

    /**
     * Deletions queued together, each of at most one batch of events: their final steps share transactions of at most
     * one batch of events and {@value #PEOPLE_PER_FINAL} people, then one destruction of their keys, one scrub of the
     * keystore and one transaction of SUCCESS. A transaction that finds a request's write waiting for the store
     * ({@link dev.lethe.store.Tx#requestsWaiting}) commits the people it has done, and the next goes on with the rest.
     * A deletion of more events, or one whose person changed meanwhile, is left to {@link #run}.
     */
    @Override
    public List<Started> runTogether(List<Started> group) {
        List<List<Plan>> chunks = new ArrayList<>();
        List<Plan> chunk = new ArrayList<>();
        long chunkEvents = 0;
        for (Started started : group) {
            Plan plan;
            long events;
            try {
                plan = plan(started.task(), started.run());
                // why: one count a person; one GROUP BY for the group's 32 people was slower on PostgreSQL (~50 ms
                // and ~13 ms of planning a call in lethe bench, against ~0.7 ms a person), its plan reading the events.
                // Up to one more than a batch: a heavier person is left to run(), and counting all of them was wasted
                events = db.withConnection(c -> eraser.eventCountUpTo(c, plan.projectId(), plan.ids, batchSize + 1L));
            } catch (RuntimeException e) {
                // why: run() repeats these reads alone, and records a failure against this task only
                continue;
            }
            if (events > batchSize) {
                continue;
            }
            if (!chunk.isEmpty() && (chunkEvents + events > batchSize || chunk.size() >= PEOPLE_PER_FINAL)) {
                chunks.add(chunk);
                chunk = new ArrayList<>();
                chunkEvents = 0;
            }
            chunk.add(plan);
            chunkEvents += events;
        }
        if (!chunk.isEmpty()) {
            chunks.add(chunk);
        }
        Map<Plan, Set<String>> erased = new LinkedHashMap<>();
        Set<Plan> lost = new HashSet<>();
        long beat = clock.millis();
        for (List<Plan> all : chunks) {
            List<Plan> left = new ArrayList<>(all);
            while (!left.isEmpty()) {
                if (clock.millis() - beat >= heartbeatMs) {
                    // why: a group of several chunks can outlast a lease that no batch of a task alone would
                    beat = clock.millis();
                    keepLeases(chunks, lost);
                    erased.keySet().removeAll(lost);
                }
                left.removeAll(lost);
                if (left.isEmpty()) {
                    break;
                }
                List<Plan> plans = List.copyOf(left);
                try {
                    Part<Map<Plan, Set<String>>> done = db.inTransaction(tx -> {
                        long projectId = plans.get(0).projectId();
                        lockFinal(tx, projectId);
                        Map<Plan, Set<String>> out = new LinkedHashMap<>();
                        int tried = untilARequestWaits(tx, plans, plan -> {
                            Set<String> person = eraseUnderHold(tx, plan, plan.ids, true);
                            if (person != null) {
                                out.put(plan, person);
                            }
                        });
                        // why: once for the transaction's people together, four statements instead of four a person;
                        // nothing can bring back one erased earlier in it, since the hold keeps their events out
                        eraser.verifyGone(tx, projectId, union(out.values()));
                        return new Part<>(tried, out);
                    });
                    erased.putAll(done.result());
                    left.subList(0, done.tried()).clear();
                } catch (RuntimeException e) {
                    // why: the transaction rolled back whole; each of its deletions runs alone, where a failure is its own
                    log.info("the final step of {} deletions together failed ({}); they run one by one", plans.size(),
                            e.getClass().getSimpleName());
                    break;
                }
            }
        }
        if (erased.isEmpty()) {
            return List.of();
        }
        eraser.destroyKeys(erased.keySet().iterator().next().projectId(), union(erased.values()));
        List<ErasureSteps.Step> keystoreSteps = keystoreSteps(scrubKeystore());
        List<Map.Entry<Plan, Set<String>>> pending = new ArrayList<>(erased.entrySet());
        List<Started> succeeded = new ArrayList<>();
        while (!pending.isEmpty()) {
            List<Map.Entry<Plan, Set<String>>> next = List.copyOf(pending);
            Part<List<Started>> done = db.inTransaction(tx -> {
                List<Started> out = new ArrayList<>();
                int tried = untilARequestWaits(tx, next, e -> {
                    try {
                        succeed(tx, e.getKey(), e.getValue());
                        out.add(new Started(e.getKey().task, e.getKey().run));
                    } catch (LeaseLostException gone) {
                        // why: its SUCCESS wrote nothing; the task's new holder finishes it
                    }
                });
                steps.record(tx, out.stream().map(d -> d.task().id()).toList(), keystoreSteps);
                return new Part<>(tried, out);
            });
            succeeded.addAll(done.result());
            pending.subList(0, done.tried()).clear();
        }
        return succeeded;
    }

    /** Every id of these people together. */
    private static Set<String> union(Collection<Set<String>> people) {
        Set<String> all = new TreeSet<>();
        people.forEach(all::addAll);
        return all;
    }

    /** One item of a transaction that gives way to requests ({@link #untilARequestWaits}). */
    @FunctionalInterface
    private interface Each<E> {
        void run(E item) throws SQLException;
    }

    /** What one transaction of a split loop did: how many of its items it reached, and what came of them. */
    private record Part<R>(int tried, R result) {
    }

    /**
     * Runs {@code each} over the items in the caller's transaction, always the first, and stops before the next once
     * a request's write waits for the store ({@link Tx#requestsWaiting}): the caller commits what it ran and goes on
     * with the rest in its next transaction, after the request's write, which would otherwise wait for all of them.
     * Returns how many it ran.
     */
    private static <E> int untilARequestWaits(Tx tx, List<E> items, Each<E> each) throws SQLException {
        int tried = 0;
        for (E item : items) {
            if (tried > 0 && tx.requestsWaiting()) {
                break;
            }
            tried++;
            each.run(item);
        }
        return tried;
    }

    /** Extends the lease of every plan of the group not lost yet; one whose lease is gone is added to {@code lost}. */
    private static void keepLeases(List<List<Plan>> chunks, Set<Plan> lost) {
        for (List<Plan> plans : chunks) {
            for (Plan plan : plans) {
                if (lost.contains(plan)) {
                    continue;
                }
                try {
                    plan.run.heartbeat();
                } catch (LeaseLostException e) {
                    // why: another worker holds the task now and finishes it; this group leaves it alone
                    lost.add(plan);
                }
            }
        }
    }

    /** One deletion's plan: what its events undergo, its counts so far, and the ids it covers as last resolved. */
    private static final class Plan {
        final Task task;
        final TaskRun run;
        final PersonEraser.EventStep step;
        final Anonymization anonymization;
        final DeletionCounts counts;
        Set<String> ids;

        Plan(Task task, TaskRun run, PersonEraser.EventStep step, Anonymization anonymization, DeletionCounts counts) {
            this.task = task;
            this.run = run;
            this.step = step;
            this.anonymization = anonymization;
            this.counts = counts;
        }

        long projectId() {
            return task.projectId();
        }
    }

    /** The task's plan, its ids resolved: its counts resumed, and how each id was reached recorded on a first run. */
    private Plan plan(Task task, TaskRun run) {
        long projectId = task.projectId();
        Anonymization anonymization = task.anonymizes()
                ? new Anonymization(events, PersonalProperties.effective(projects.personalProperties(projectId))) : null;
        PersonEraser.EventStep step = anonymization != null ? anonymization : eraser.deleting();
        DeletionCounts counts = anonymization != null
                ? DeletionCounts.anonymizingFrom(task.counts()) : DeletionCounts.resumedFrom(task.counts());
        Plan plan = new Plan(task, run, step, anonymization, counts);
        Set<String> ids = new TreeSet<>(task.distinctIds());
        if (task.personIds() != null) {
            ids.addAll(task.personIds());
        }
        Map<String, PersonResolver.Reach> reach = null;
        if (!counts.knowsLinks()) {
            // why: the check tells the requester which ids a link brought in and through what kind
            // of link; only possible before the links are erased, so a rerun keeps the first answer.
            reach = resolver.explain(projectId, task.distinctIds());
            Set<String> all = new TreeSet<>(ids);
            all.addAll(reach.keySet());
            for (String id : all) {
                PersonResolver.Reach r = reach.get(id);
                counts.linkedBy(r == null ? "linked_when_staged"
                        : r.kind() == null ? "requested" : r.kind().name().toLowerCase(Locale.ROOT));
            }
        }
        // why: a walk from the requested ids that reached every id the claim resolved is the walk from them all (what
        // those ids reach, it reaches too), so walking again would read the same links a second time
        plan.ids = reach != null && reach.keySet().containsAll(ids) ? new TreeSet<>(reach.keySet())
                : resolver.resolve(projectId, ids);
        return plan;
    }

    /** Erases the person, destroys their keys and marks the task SUCCESS. */
    private void erase(Task task, TaskRun run) {
        Plan plan = plan(task, run);
        long projectId = task.projectId();
        Set<String> ids = plan.ids;
        Set<String> resolved = ids;
        if (db.withConnection(c -> eraser.fitsOneBatch(c, projectId, resolved, batchSize))) {
            // why: a person with at most one batch of events needs no batched passes: the final
            // step alone erases them while holding back event writes no longer than one batch would.
            // It gives way to the batched passes if the person grew through new links meanwhile.
            if (finish(plan, resolved, true)) {
                return;
            }
            ids = resolver.resolve(projectId, resolved);
        }
        DeletionCounts counts = plan.counts;
        for (int pass = 0; pass < MAX_BATCHED_PASSES; pass++) {
            Set<String> person = ids;
            db.inTransaction(c -> {
                suppress(c, task, person);
                return null;
            });
            eraser.eraseEventsInBatches(projectId, person, batchSize, counts, () -> run.progress(counts.json()), plan.step);
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
        finish(plan, ids, false);
    }

    /**
     * The final transaction, holding back event writes ({@link #eraseAndVerify}); then the person's keys are destroyed,
     * the keystore is scrubbed, and a last short transaction lifts the hold and records SUCCESS with the keystore's
     * steps. With {@code onlyIfUnchanged} it writes nothing and returns false when the person is no longer
     * {@code known}.
     */
    private boolean finish(Plan plan, Set<String> known, boolean onlyIfUnchanged) {
        Set<String> erased = db.inTransaction(tx -> {
            lockFinal(tx, plan.projectId());
            return eraseAndVerify(tx, plan, known, onlyIfUnchanged);
        });
        if (erased == null) {
            return false;
        }
        // why: outside the final transaction, which holds the project's erasure lock (and on SQLite the store's one
        // writer turn): the destruction waits for the keystore's scrub of other deletions (on PostgreSQL a VACUUM FULL
        // of the bucket table, which locks it whole), and no other deletion should wait behind it. The hold set above
        // stays until SUCCESS, so nothing of the person is stored meanwhile; should this step or the next fail, the
        // retry finds nothing left to erase and destroys the keys again.
        eraser.destroyKeys(plan.projectId(), erased);
        // why: before SUCCESS, so the certificate's steps commit with it and a certificate is ready the moment the
        // status says SUCCESS; the scrub costs the worker the same before as after
        List<ErasureSteps.Step> keystoreSteps = keystoreSteps(scrubKeystore());
        db.inTransaction(tx -> {
            succeed(tx, plan, erased);
            steps.record(tx, List.of(plan.task.id()), keystoreSteps);
            return null;
        });
        return true;
    }

    /** What a final transaction takes first: the project's erasure lock, then the hold on its event writes. */
    private static void lockFinal(Tx tx, long projectId) throws SQLException {
        tx.lockProjectErasure(projectId);
        tx.blockEventWrites(projectId);
    }

    /**
     * In a final transaction: re-resolves the person, erases what is left and verifies that nothing remains; returns
     * the ids erased. With {@code onlyIfUnchanged} it writes nothing and returns null when the person is no longer
     * {@code known}. An anonymization also has every event under its pseudonym checked.
     */
    private Set<String> eraseAndVerify(Tx tx, Plan plan, Set<String> known, boolean onlyIfUnchanged) throws SQLException {
        Set<String> person = eraseUnderHold(tx, plan, known, onlyIfUnchanged);
        if (person != null) {
            eraser.verifyGone(tx, plan.projectId(), person);
        }
        return person;
    }

    /**
     * {@link #eraseAndVerify} but for the check that no event, profile, link or archive of the person is left, which
     * the caller runs before its transaction commits. An anonymization's own check of its pseudonym runs here.
     */
    private Set<String> eraseUnderHold(Tx tx, Plan plan, Set<String> known, boolean onlyIfUnchanged) throws SQLException {
        long projectId = plan.projectId();
        Set<String> person = resolver.resolve(tx, projectId, known);
        if (onlyIfUnchanged && !person.equals(known)) {
            return null;
        }
        suppress(tx, plan.task, person);
        eraser.eraseAll(tx, projectId, person, batchSize, plan.counts, plan.step);
        if (plan.anonymization != null) {
            plan.anonymization.sweepAndVerify(tx, projectId, person, plan.counts);
        }
        return person;
    }

    /** SUCCESS in the caller's transaction, with the counts; a hold (no suppression asked) is lifted with it. */
    private void succeed(Tx tx, Plan plan, Set<String> erased) throws SQLException {
        long projectId = plan.projectId();
        plan.counts.ids(erased.size());
        plan.counts.dropped(suppressions.droppedUnder(tx, projectId, erased, plan.task.id()));
        plan.run.succeed(tx, plan.counts.json(), null, null);
        if (!plan.task.suppress()) {
            suppressions.release(tx, projectId, plan.task.id());
        }
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
        } catch (RuntimeException e) {
            // why: the keys are gone and verified gone; the next deletion's scrub finishes this one, so this must not
            // turn into a FAILURE: the certificate records the scrub as failed
            log.warn("scrubbing the keystore after a deletion failed", e);
            return false;
        }
    }

    /** The keystore's steps of a deletion for its certificate: the destruction and re-key, then the scrub's outcome. */
    private List<ErasureSteps.Step> keystoreSteps(boolean scrubbed) {
        long at = clock.millis();
        List<ErasureSteps.Step> done = new ArrayList<>();
        // why: the destruction and the re-keying were verified before the scrub
        for (String step : db.keystore().destroySteps()) {
            done.add(new ErasureSteps.Step(step, ErasureSteps.DONE, at));
        }
        for (String step : db.keystore().scrubSteps()) {
            done.add(new ErasureSteps.Step(step, scrubbed ? ErasureSteps.DONE : ErasureSteps.FAILED, at));
        }
        return done;
    }
}
