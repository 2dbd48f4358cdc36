package dev.lethe.gdpr;

import dev.lethe.audit.AuditLog;
import dev.lethe.audit.Origin;
import dev.lethe.auth.GdprCaller;
import dev.lethe.auth.Role;
import dev.lethe.domain.DomainException;
import dev.lethe.store.Database;
import dev.lethe.suppression.SuppressionStore;
import dev.lethe.task.Task;
import dev.lethe.task.TaskKind;
import dev.lethe.task.TaskStatus;
import dev.lethe.task.TaskStore;
import dev.lethe.task.TrackingId;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;

/**
 * Lifts the suppression a finished deletion made ({@code "suppress": true}), so the person's new
 * events are accepted again: a decision for the project's owner only, through the API or the CLI
 * (docs/gdpr-api.md). The suppressions go and the deletion's task row records when and by whom,
 * in one transaction; the audit log gets a line for every lift and every refused one (never an id).
 * Lifting again is accepted and lifts nothing more.
 */
public final class SuppressionLifts {

    private static final Logger log = LoggerFactory.getLogger(SuppressionLifts.class);

    /** Who asks for the lift, as the audit log names them. */
    public record Actor(String name, String kind, Origin origin) {

        /** {@code lethe admin suppression lift}, run by whoever can open the store. */
        public static final Actor CLI = new Actor("lethe admin", "cli", new Origin("cli", null));
    }

    static final String ACTION = "lift-suppression";

    /**
     * @param idsLifted  how many suppressed ids this call lifted (0 on a repeat; fewer than the
     *                   person's ids when a later deletion suppressed some of them again)
     * @param firstLift  whether this call lifted it (false: it had been lifted before)
     */
    public record Lifted(Task task, int idsLifted, boolean firstLift) {
    }

    private final Database db;
    private final TaskStore tasks;
    private final SuppressionStore suppressions;
    private final AuditLog audit;
    private final Clock clock;

    public SuppressionLifts(Database db, TaskStore tasks, SuppressionStore suppressions, AuditLog audit, Clock clock) {
        this.db = db;
        this.audit = audit;
        this.tasks = tasks;
        this.suppressions = suppressions;
        this.clock = clock;
    }

    /** The API's lift: the caller must be the project's owner (an admin may suppress, not lift). */
    public Lifted lift(GdprCaller caller, String trackingId, Origin origin) {
        Actor actor = new Actor(caller.requestingUser(), caller.actorKind(), origin);
        if (caller.role() != Role.OWNER) {
            record(caller.project().id(), trackingId, actor, "refused: not an owner");
            throw DomainException.forbidden("only an owner of the project may lift a suppression");
        }
        return lift(caller.project().id(), trackingId, actor);
    }

    /** Lifts the suppression of this project's deletion; {@code actor} is recorded on the task and in the audit log. */
    public Lifted lift(long projectId, String trackingId, Actor actor) {
        if (!TrackingId.isValid(trackingId)) {
            throw GdprService.notFound();
        }
        Task task = tasks.find(projectId, TaskKind.DELETION, trackingId).orElseThrow(GdprService::notFound);
        if (!task.suppress()) {
            record(projectId, trackingId, actor, "refused: made without suppress");
            throw DomainException.stateConflict("this deletion was made without \"suppress\": true; it suppressed nothing");
        }
        if (task.status().isActive()) {
            record(projectId, trackingId, actor, "refused: not finished");
            throw DomainException.stateConflict("this deletion has not finished; its ids are held until it does "
                    + "(cancel it while it has not started)");
        }
        if (task.status() != TaskStatus.SUCCESS) {
            record(projectId, trackingId, actor, "refused: ended " + task.status());
            throw DomainException.stateConflict("this deletion ended " + task.status() + " and left no suppression");
        }
        long now = clock.millis();
        Lifted lifted = db.inTransaction(tx -> {
            int n = suppressions.lift(tx, projectId, task.id());
            boolean first = tasks.recordSuppressionLifted(tx, task.id(), actor.name(), now);
            return new Lifted(task, n, first);
        });
        // why: the task and the count only; who lifted it is on the task row, the ids are not kept anywhere
        log.info("suppression of deletion {} lifted: {} id(s) accepted again{}", task.trackingId(), lifted.idsLifted(),
                lifted.firstLift() ? "" : " (lifted before)");
        record(projectId, trackingId, actor, lifted.firstLift() ? "lifted " + lifted.idsLifted() + " id(s)" : "already lifted");
        return lifted;
    }

    private void record(long projectId, String trackingId, Actor actor, String outcome) {
        audit.recordQuietly(new AuditLog.Event(projectId, ACTION, TaskKind.DELETION.name(), trackingId, actor.name(), actor.kind(),
                actor.origin(), outcome, null));
    }
}
