package dev.lethe.gdpr;

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
 * in one transaction. Lifting again is accepted and lifts nothing more.
 */
public final class SuppressionLifts {

    private static final Logger log = LoggerFactory.getLogger(SuppressionLifts.class);

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
    private final Clock clock;

    public SuppressionLifts(Database db, TaskStore tasks, SuppressionStore suppressions, Clock clock) {
        this.db = db;
        this.tasks = tasks;
        this.suppressions = suppressions;
        this.clock = clock;
    }

    /** The API's lift: the caller must be the project's owner (an admin may suppress, not lift). */
    public Lifted lift(GdprCaller caller, String trackingId) {
        if (caller.role() != Role.OWNER) {
            throw DomainException.forbidden("only an owner of the project may lift a suppression");
        }
        return lift(caller.project().id(), trackingId, caller.requestingUser());
    }

    /** Lifts the suppression of this project's deletion; {@code by} names who decided, for the task's record. */
    public Lifted lift(long projectId, String trackingId, String by) {
        if (!TrackingId.isValid(trackingId)) {
            throw GdprService.notFound();
        }
        Task task = tasks.find(projectId, TaskKind.DELETION, trackingId).orElseThrow(GdprService::notFound);
        if (!task.suppress()) {
            throw DomainException.stateConflict("this deletion was made without \"suppress\": true; it suppressed nothing");
        }
        if (task.status().isActive()) {
            throw DomainException.stateConflict("this deletion has not finished; its ids are held until it does "
                    + "(cancel it while it has not started)");
        }
        if (task.status() != TaskStatus.SUCCESS) {
            throw DomainException.stateConflict("this deletion ended " + task.status() + " and left no suppression");
        }
        long now = clock.millis();
        Lifted lifted = db.inTransaction(tx -> {
            int n = suppressions.lift(tx, projectId, task.id());
            boolean first = tasks.recordSuppressionLifted(tx, task.id(), by, now);
            return new Lifted(task, n, first);
        });
        // why: the task and the count only; who lifted it is on the task row, the ids are not kept anywhere
        log.info("suppression of deletion {} lifted: {} id(s) accepted again{}", task.trackingId(), lifted.idsLifted(),
                lifted.firstLift() ? "" : " (lifted before)");
        return lifted;
    }
}
