package dev.lethe.webhook;

import java.time.Duration;

/**
 * How the sender behaves.
 *
 * @param connectTimeout how long to wait for a receiver's connection
 * @param requestTimeout how long to wait for its answer, once connected
 * @param lease          how long a claimed delivery stays with its sender: longer than both timeouts, so a
 *                       live sender never loses a delivery it is still sending
 * @param batch          the most deliveries one poll sends
 * @param retries        when to try again, and when to give up
 */
public record WebhookSettings(Duration connectTimeout, Duration requestTimeout, Duration lease, int batch, RetrySchedule retries) {

    public static final WebhookSettings DEFAULT = new WebhookSettings(Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofMinutes(1), 50, RetrySchedule.DEFAULT);

    public WebhookSettings {
        if (lease.compareTo(connectTimeout.plus(requestTimeout)) <= 0) {
            throw new IllegalArgumentException("the delivery lease must outlast the connect and request timeouts");
        }
        if (batch < 1) {
            throw new IllegalArgumentException("a poll sends at least one delivery");
        }
    }

    public WebhookSettings withTimeouts(Duration connect, Duration request) {
        return new WebhookSettings(connect, request, lease, batch, retries);
    }
}
