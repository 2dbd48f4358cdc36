package dev.lethe.webhook;

import java.util.Set;

/** A receiver of a project's task events, as listed (its secret never leaves {@link WebhookStore} in clear but once, at creation). */
public record Webhook(long id, long projectId, String url, Set<WebhookEvent> events, long createdAt) {
}
