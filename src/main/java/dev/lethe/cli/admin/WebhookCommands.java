package dev.lethe.cli.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.audit.AuditLog;
import dev.lethe.domain.DomainException;
import dev.lethe.json.Json;
import dev.lethe.webhook.DeliveryLog;
import dev.lethe.webhook.Webhook;
import dev.lethe.webhook.WebhookAdmin;
import dev.lethe.webhook.WebhookEvent;
import dev.lethe.webhook.WebhookStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Instant;

/**
 * {@code lethe admin webhook create | list | delete | deliveries}: who is told of a project's task state
 * changes (docs/operations.md).
 */
@Command(name = "webhook", mixinStandardHelpOptions = true,
        description = "Register, list and delete the receivers of a project's task events (Standard Webhooks), "
                + "and read the delivery log.",
        subcommands = {WebhookCommands.Create.class, WebhookCommands.ListWebhooks.class, WebhookCommands.Delete.class,
                WebhookCommands.Deliveries.class})
final class WebhookCommands {

    private WebhookCommands() {
    }

    static WebhookAdmin admin(AdminContext admin) {
        return new WebhookAdmin(new WebhookStore(admin.db(), admin.key(), admin.clock()),
                new AuditLog(admin.db(), admin.key(), admin.clock()));
    }

    static ObjectNode render(Webhook w) {
        return AdminAction.json().put("webhook_id", w.id()).put("project_id", w.projectId()).put("url", w.url())
                .put("events", WebhookEvent.names(w.events())).put("created_at", Instant.ofEpochMilli(w.createdAt()).toString());
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Register a receiver; prints its id and its signing secret (whsec_...), shown only this once.")
    static final class Create extends AdminAction {

        @Option(names = "--project", required = true, description = "Project id")
        long project;

        @Option(names = "--url", required = true, description = "The receiver's http:// or https:// URL")
        String url;

        @Option(names = "--events", description = "Comma-separated events to send (default: all): "
                + "task.created, task.staging, task.started, task.finished, task.cancelled")
        String events;

        @Override
        ObjectNode run(AdminContext admin) {
            admin.project(project);
            try {
                WebhookStore.Created created = admin(admin).create(project, url, events, WebhookAdmin.Actor.CLI);
                return render(created.webhook()).put("secret", created.secret());
            } catch (DomainException e) {
                throw new AdminException(e.getMessage());
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List a project's webhooks (never their secrets).")
    static final class ListWebhooks extends AdminAction {

        @Option(names = "--project", required = true, description = "Project id")
        long project;

        @Override
        ObjectNode run(AdminContext admin) {
            admin.project(project);
            ArrayNode hooks = Json.MAPPER.createArrayNode();
            admin(admin).list(project).forEach(w -> hooks.add(render(w)));
            return json().put("project_id", project).set("webhooks", hooks);
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete a webhook, with its deliveries not yet sent and its delivery log.")
    static final class Delete extends AdminAction {

        @Option(names = "--project", required = true, description = "Project id")
        long project;

        @Option(names = "--webhook", required = true, description = "The webhook id")
        long webhook;

        @Override
        ObjectNode run(AdminContext admin) {
            admin.project(project);
            try {
                admin(admin).delete(project, webhook, WebhookAdmin.Actor.CLI);
            } catch (DomainException e) {
                throw new AdminException(e.getMessage());
            }
            return json().put("project_id", project).put("webhook_id", webhook).put("deleted", 1);
        }
    }

    @Command(name = "deliveries", mixinStandardHelpOptions = true,
            description = "The delivery log, newest first: each event sent, its attempts (time, status code or error), "
                    + "the next retry and the outcome (pending, delivered, failed).")
    static final class Deliveries extends AdminAction {

        @Option(names = "--project", required = true, description = "Project id")
        long project;

        @Option(names = "--webhook", description = "Only this webhook's deliveries")
        Long webhook;

        @Option(names = "--limit", defaultValue = "100", description = "At most this many deliveries (default ${DEFAULT-VALUE})")
        int limit;

        @Override
        ObjectNode run(AdminContext admin) {
            admin.project(project);
            if (limit < 1 || limit > 10_000) {
                throw new AdminException("--limit must be between 1 and 10000");
            }
            if (webhook != null && !new WebhookStore(admin.db(), admin.key(), admin.clock()).exists(project, webhook)) {
                throw new AdminException("project " + project + " has no webhook " + webhook);
            }
            ArrayNode out = Json.MAPPER.createArrayNode();
            for (DeliveryLog.Entry e : new DeliveryLog(admin.db()).recent(project, webhook, limit)) {
                ObjectNode d = out.addObject().put("delivery_id", e.id()).put("webhook_id", e.webhookId())
                        .put("message_id", e.messageId()).put("event", e.event()).put("tracking_id", e.trackingId())
                        .put("task_status", e.taskStatus()).put("occurred_at", time(e.occurredAt()))
                        .put("outcome", e.outcome()).put("attempts", e.attempts());
                d.put("next_attempt_at", e.nextAttemptAt() == null ? null : time(e.nextAttemptAt()));
                d.put("last_status_code", e.lastStatusCode());
                d.put("last_error", e.lastError());
                d.put("finished_at", e.finishedAt() == null ? null : time(e.finishedAt()));
                ArrayNode attempts = d.putArray("attempt_log");
                for (DeliveryLog.AttemptRow a : e.attemptLog()) {
                    ObjectNode row = attempts.addObject().put("at", time(a.at()));
                    row.put("status_code", a.statusCode());
                    row.put("error", a.error());
                    row.put("duration_ms", a.durationMs());
                }
            }
            return json().put("project_id", project).set("deliveries", out);
        }

        private static String time(long epochMillis) {
            return Instant.ofEpochMilli(epochMillis).toString();
        }
    }
}
