package dev.lethe.webhook;

import dev.lethe.domain.DomainException;
import dev.lethe.task.TaskStatus;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** The events a webhook can receive, one per move of a task's state; their wire names are the Standard Webhooks {@code type}. */
public enum WebhookEvent {
    CREATED("task.created"),
    STAGING("task.staging"),
    STARTED("task.started"),
    FINISHED("task.finished"),
    CANCELLED("task.cancelled");

    private final String wireName;

    WebhookEvent(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The event of a move to {@code status}: SUCCESS and FAILURE both finish a task. */
    public static WebhookEvent of(TaskStatus status) {
        return switch (status) {
            case PENDING -> CREATED;
            case STAGING -> STAGING;
            case STARTED -> STARTED;
            case SUCCESS, FAILURE -> FINISHED;
            case REVOKED -> CANCELLED;
        };
    }

    public static WebhookEvent parse(String wireName) {
        String wanted = wireName.trim().toLowerCase(Locale.ROOT);
        for (WebhookEvent e : values()) {
            if (e.wireName.equals(wanted)) {
                return e;
            }
        }
        throw DomainException.invalidInput("unknown webhook event \"" + wireName.trim() + "\"; known: "
                + names(EnumSet.allOf(WebhookEvent.class)));
    }

    /** A comma-separated list of wire names; null or blank means every event. */
    public static Set<WebhookEvent> parseList(String csv) {
        if (csv == null || csv.isBlank()) {
            return EnumSet.allOf(WebhookEvent.class);
        }
        Set<WebhookEvent> out = EnumSet.noneOf(WebhookEvent.class);
        for (String part : csv.split(",")) {
            if (!part.isBlank()) {
                out.add(parse(part));
            }
        }
        if (out.isEmpty()) {
            throw DomainException.invalidInput("--events names no event; known: " + names(EnumSet.allOf(WebhookEvent.class)));
        }
        return out;
    }

    /** The wire names, comma separated, in declaration order: how the events are stored and shown. */
    public static String names(Set<WebhookEvent> events) {
        return Arrays.stream(values()).filter(events::contains).map(WebhookEvent::wireName).collect(Collectors.joining(","));
    }
}
