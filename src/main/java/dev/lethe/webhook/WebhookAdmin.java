package dev.lethe.webhook;

import dev.lethe.audit.AuditLog;
import dev.lethe.audit.Origin;
import dev.lethe.domain.DomainException;

import java.util.List;
import java.util.Set;

/**
 * Creating, listing and deleting a project's webhooks, each creation and deletion (refusals included)
 * recorded in the audit log with who did it; never the secret, and the URL only as the webhook's id.
 */
public final class WebhookAdmin {

    /** Who acts, for the audit log. */
    public record Actor(String name, String kind, Origin origin) {

        /** {@code lethe admin webhook ...}, run by whoever can open the store. */
        public static final Actor CLI = new Actor("lethe admin", "cli", new Origin("cli", null));
    }

    static final String CREATE = "webhook-create";
    static final String DELETE = "webhook-delete";

    private final WebhookStore webhooks;
    private final AuditLog audit;

    public WebhookAdmin(WebhookStore webhooks, AuditLog audit) {
        this.webhooks = webhooks;
        this.audit = audit;
    }

    /** Registers a receiver of the project's task events; the caller has checked the project exists. */
    public WebhookStore.Created create(long projectId, String url, String eventsCsv, Actor actor) {
        WebhookStore.Created created;
        try {
            Set<WebhookEvent> events = WebhookEvent.parseList(eventsCsv);
            created = webhooks.create(projectId, url, events);
        } catch (DomainException e) {
            record(projectId, CREATE, actor, "refused: " + e.getMessage());
            throw e;
        }
        record(projectId, CREATE, actor, "created webhook " + created.webhook().id());
        return created;
    }

    public List<Webhook> list(long projectId) {
        return webhooks.list(projectId);
    }

    /** Deletes the webhook with its pending deliveries and log; not found when the project has no such webhook. */
    public void delete(long projectId, long webhookId, Actor actor) {
        if (!webhooks.delete(projectId, webhookId)) {
            record(projectId, DELETE, actor, "refused: no webhook " + webhookId);
            throw DomainException.notFound("project " + projectId + " has no webhook " + webhookId);
        }
        record(projectId, DELETE, actor, "deleted webhook " + webhookId);
    }

    private void record(long projectId, String action, Actor actor, String outcome) {
        audit.recordQuietly(new AuditLog.Event(projectId, action, null, null, actor.name(), actor.kind(), actor.origin(),
                outcome, null));
    }
}
