package dev.lethe.gdpr;

import dev.lethe.audit.AuditLog;
import dev.lethe.audit.Origin;
import dev.lethe.auth.GdprCaller;
import dev.lethe.domain.DomainException;
import dev.lethe.json.Json;
import dev.lethe.ratelimit.ProjectRateLimiter;
import dev.lethe.task.NewTask;
import dev.lethe.task.Task;
import dev.lethe.task.TaskKind;
import dev.lethe.task.TaskStatus;
import dev.lethe.task.TaskStore;
import dev.lethe.task.TrackingId;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The GDPR operations on an authenticated caller's project: admission (rate limits and the
 * queue cap), then the task store. Nothing here reaches outside the caller's project.
 */
public final class GdprService {

    /** A page of a listing; {@code nextCursor} is null on the last page. */
    public record Listing(List<Task> tasks, String nextCursor) {
    }

    static final long QUEUE_FULL_RETRY_SECONDS = 30;

    private final TaskStore tasks;
    private final ProjectRateLimiter creations;
    private final ProjectRateLimiter reads;
    private final QueueCap queueCap;
    private final Function<Task, String> downloadLink;
    private static final String RETURNED_DUPLICATE = "returned the identical unfinished task";

    private final Runnable created;
    private final AuditLog audit;

    /**
     * @param created told after a task was queued, so this instance's workers can take it without waiting a poll
     * @param audit   where creations, cancels and downloads are recorded; null records nothing
     */
    public GdprService(TaskStore tasks, ProjectRateLimiter creations, ProjectRateLimiter reads, QueueCap queueCap,
                       Function<Task, String> downloadLink, Runnable created, AuditLog audit) {
        this.audit = audit;
        this.tasks = tasks;
        this.creations = creations;
        this.reads = reads;
        this.queueCap = queueCap;
        this.downloadLink = downloadLink;
        this.created = created;
    }

    /** Queues the task, or returns the identical one still unfinished. */
    public Task create(GdprCaller caller, TaskKind kind, CreateRequest request) {
        return create(caller, kind, request, Origin.UNKNOWN);
    }

    /** Like {@link #create(GdprCaller, TaskKind, CreateRequest)}, and records it (or its refusal) in the audit log. */
    public Task create(GdprCaller caller, TaskKind kind, CreateRequest request, Origin origin) {
        try {
            return queue(caller, kind, request, origin).task();
        } catch (DomainException e) {
            audit(caller, "create", kind, null, origin, "refused: " + e.getMessage(), request.distinctIds());
            throw e;
        }
    }

    /** Queues the task with its audit line in the same transaction (a duplicate found by a read is audited alone). */
    private TaskStore.Queued queue(GdprCaller caller, TaskKind kind, CreateRequest request, Origin origin) {
        long projectId = caller.project().id();
        NewTask task = new NewTask(projectId, kind, request.compliance().name(),
                kind == TaskKind.RETRIEVAL ? request.disclosure().wireName() : null,
                request.suppress(), caller.requestingUser(), request.distinctIds(), request.mode());
        // why: a client retrying a request it already filed (after a timeout, or a 429 on another part of
        // its job) gets that task back; the repeat costs no creation token and no place in the queue, only
        // a read, as a status check would.
        Optional<Task> active = tasks.findActive(task);
        if (active.isPresent()) {
            reads.acquire(projectId);
            audit(caller, "create", kind, active.get().trackingId(), origin, RETURNED_DUPLICATE, request.distinctIds());
            return new TaskStore.Queued(active.get(), true);
        }
        creations.acquire(projectId);
        if (!queueCap.admit(projectId)) {
            throw DomainException.rateLimited("this project already has " + queueCap.cap()
                    + " unfinished GDPR tasks; retry when some have finished", QUEUE_FULL_RETRY_SECONDS);
        }
        // why: the line commits with the creation, so neither is ever without the other, and it costs no
        // transaction (on SQLite, no turn at the one write lock) of its own
        TaskStore.Queued queued = tasks.create(task, audit == null ? TaskStore.Alongside.NOTHING : (tx, q) ->
                audit.record(tx, auditEvent(caller, "create", kind, q.task().trackingId(), origin,
                        q.existing() ? RETURNED_DUPLICATE : "created", request.distinctIds())));
        created.run();
        return queued;
    }

    public Task check(GdprCaller caller, TaskKind kind, String trackingId) {
        reads.acquire(caller.project().id());
        return find(caller, kind, trackingId);
    }

    /** Cancels a PENDING or STAGING task; a repeat on a REVOKED one is accepted too. */
    public void cancel(GdprCaller caller, TaskKind kind, String trackingId) {
        cancel(caller, kind, trackingId, Origin.UNKNOWN);
    }

    /** Like {@link #cancel(GdprCaller, TaskKind, String)}, and records the outcome in the audit log. */
    public void cancel(GdprCaller caller, TaskKind kind, String trackingId, Origin origin) {
        String shown = TrackingId.isValid(trackingId) ? trackingId : null;
        try {
            TaskStore.CancelOutcome outcome = cancelled(caller, kind, trackingId);
            audit(caller, "cancel", kind, shown, origin,
                    outcome == TaskStore.CancelOutcome.REVOKED ? "revoked" : "already revoked", null);
        } catch (DomainException e) {
            audit(caller, "cancel", kind, shown, origin, "refused: " + e.getMessage(), null);
            throw e;
        }
    }

    /**
     * The download link of one of the project's retrievals for a signed-in operator, recorded in
     * the audit log; gone when the archive has expired or was never made.
     */
    public String download(GdprCaller caller, String trackingId, Origin origin) {
        Task task = find(caller, TaskKind.RETRIEVAL, trackingId);
        String link = link(task);
        if (link.isEmpty()) {
            audit(caller, "download", TaskKind.RETRIEVAL, task.trackingId(), origin, "refused: no live archive", null);
            throw DomainException.gone("this retrieval has no archive to download (not finished, expired or deleted)");
        }
        audit(caller, "download", TaskKind.RETRIEVAL, task.trackingId(), origin, "handed the signed download link", null);
        return link;
    }

    private TaskStore.CancelOutcome cancelled(GdprCaller caller, TaskKind kind, String trackingId) {
        reads.acquire(caller.project().id());
        if (!TrackingId.isValid(trackingId)) {
            throw notFound();
        }
        TaskStore.CancelOutcome outcome = tasks.cancel(caller.project().id(), kind, trackingId);
        switch (outcome) {
            case REVOKED, ALREADY_REVOKED -> {
            }
            case NOT_FOUND -> throw notFound();
            case NOT_CANCELLABLE -> throw DomainException.stateConflict(
                    "the task has started or finished and can no longer be cancelled");
        }
        return outcome;
    }

    private void audit(GdprCaller caller, String action, TaskKind kind, String trackingId, Origin origin, String outcome,
                       List<String> ids) {
        if (audit != null) {
            audit.recordQuietly(auditEvent(caller, action, kind, trackingId, origin, outcome, ids));
        }
    }

    private static AuditLog.Event auditEvent(GdprCaller caller, String action, TaskKind kind, String trackingId,
                                             Origin origin, String outcome, List<String> ids) {
        return new AuditLog.Event(caller.project().id(), action, kind.name(), trackingId, caller.requestingUser(),
                caller.actorKind(), origin, outcome, ids);
    }

    public Listing list(GdprCaller caller, TaskKind kind, ListQuery query) {
        reads.acquire(caller.project().id());
        // why: one row more than asked tells whether another page exists without a COUNT
        List<Task> rows = tasks.list(caller.project().id(), kind, query.status(), query.beforeId(), query.limit() + 1);
        if (rows.size() <= query.limit()) {
            return new Listing(rows, null);
        }
        List<Task> page = rows.subList(0, query.limit());
        return new Listing(page, ListQuery.cursorAfter(page.get(page.size() - 1).id()));
    }

    /** The download link of a finished retrieval, else {@code ""}. */
    public String link(Task task) {
        return task.status() == TaskStatus.SUCCESS ? downloadLink.apply(task) : "";
    }

    private Task find(GdprCaller caller, TaskKind kind, String trackingId) {
        if (!TrackingId.isValid(trackingId)) {
            throw notFound();
        }
        return tasks.find(caller.project().id(), kind, trackingId).orElseThrow(GdprService::notFound);
    }

    static DomainException notFound() {
        var extra = Json.object();
        extra.putObject("results").put("status", "NOT_FOUND");
        return DomainException.notFound("no such task in this project", extra);
    }
}
