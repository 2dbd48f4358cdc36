package dev.lethe.webhook;

import dev.lethe.metrics.LetheMetrics;
import dev.lethe.store.Database;
import dev.lethe.task.Task;
import dev.lethe.task.TaskRows;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Sends due deliveries: claims one ({@link DeliveryClaims}), renders its body from the task as it is now,
 * signs it (Standard Webhooks), POSTs it within bounded timeouts, and records the attempt: 2xx is
 * delivered, anything else or no answer is retried on the {@link RetrySchedule} until it gives up.
 * {@link #runOnce()} is one poll; {@link WebhookWorkers} calls it on a schedule, tests call it directly.
 * Everything it knows is in the store, so a restart (or another instance) carries on where it stopped.
 */
public final class WebhookSender {

    private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);
    /** Long enough to tell a refusal from a timeout, short enough for the delivery log. */
    private static final int MAX_ERROR = 200;

    private final Database db;
    private final WebhookStore webhooks;
    private final DeliveryClaims claims;
    private final WebhookSettings settings;
    private final Clock clock;
    private final LetheMetrics metrics;
    private final DoubleSupplier jitter;
    private final HttpClient http;
    private final String owner;

    public WebhookSender(Database db, WebhookStore webhooks, WebhookSettings settings, Clock clock, LetheMetrics metrics) {
        this(db, webhooks, settings, clock, metrics, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** @param jitter uniform in [0, 1): how far each retry's wait is moved (tests fix it) */
    public WebhookSender(Database db, WebhookStore webhooks, WebhookSettings settings, Clock clock, LetheMetrics metrics,
                         DoubleSupplier jitter) {
        this.db = db;
        this.webhooks = webhooks;
        this.claims = new DeliveryClaims(db);
        this.settings = settings;
        this.clock = clock;
        this.metrics = metrics;
        this.jitter = jitter;
        // why: a redirect would carry the signed body to an address nobody registered.
        this.http = HttpClient.newBuilder().connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build();
        this.owner = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** One poll: sends the due deliveries, at most the batch size; returns how many it took. */
    public int runOnce() {
        int taken = 0;
        while (taken < settings.batch()) {
            long now = clock.millis();
            Optional<DeliveryClaims.Claimed> claimed = claims.claimNext(owner, now, now + settings.lease().toMillis());
            if (claimed.isEmpty()) {
                break;
            }
            taken++;
            if (!deliver(claimed.get())) {
                break;
            }
        }
        return taken;
    }

    /** Returns false when interrupted: the delivery stays leased and is sent again once the lease ends. */
    private boolean deliver(DeliveryClaims.Claimed d) {
        Optional<WebhookStore.Target> target = webhooks.target(d.webhookId());
        if (target.isEmpty()) {
            // why: its webhook was deleted after the delivery was queued (the delete and a task's move raced)
            claims.discard(d);
            return true;
        }
        Optional<Task> task = task(d.taskId());
        if (task.isEmpty()) {
            claims.abandon(d, "the task is gone", clock.millis());
            record("failed");
            return true;
        }
        byte[] body = WebhookBody.render(d.event(), d.taskStatus(), d.occurredAt(), task.get());
        long sentAt = clock.millis();
        long timestamp = sentAt / 1000;
        HttpRequest request = HttpRequest.newBuilder(target.get().url()).timeout(settings.requestTimeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "Lethe-Webhooks")
                .header("webhook-id", d.messageId())
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", WebhookSignature.sign(target.get().secret(), d.messageId(), timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        long started = System.nanoTime();
        Integer status = null;
        String error = null;
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            // why: the status is all we need; closing the body unread drops the connection, so a receiver
            // that streams an endless answer cannot hold a sender beyond the request timeout.
            response.body().close();
            status = response.statusCode();
        } catch (HttpTimeoutException e) {
            error = "timeout";
        } catch (IOException e) {
            error = describe(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        long now = clock.millis();
        DeliveryClaims.Attempt attempt = new DeliveryClaims.Attempt(now, status, error, tookMs);
        if (status != null && status >= 200 && status < 300) {
            claims.delivered(d, attempt);
            record("delivered");
            return true;
        }
        RetrySchedule.Decision next = settings.retries().afterFailure(d.attempts() + 1, d.occurredAt(), now, jitter.getAsDouble());
        if (next instanceof RetrySchedule.RetryAt retry) {
            claims.retry(d, attempt, retry.at());
            record("retried");
        } else {
            claims.failed(d, attempt);
            record("failed");
            // why: the message id and webhook id identify the delivery for the operator; no URL, no body
            log.warn("webhook {} gave up delivery {} ({}) after {} attempts", d.webhookId(), d.messageId(), d.event(),
                    d.attempts() + 1);
        }
        return true;
    }

    private void record(String outcome) {
        metrics.webhookDelivery(outcome);
    }

    private Optional<Task> task(long id) {
        return db.withConnection(tx -> {
            try (PreparedStatement ps = tx.prepareStatement("SELECT " + TaskRows.COLUMNS + " FROM tasks WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(TaskRows.map(rs)) : Optional.<Task>empty();
                }
            }
        });
    }

    private static String describe(IOException e) {
        String text = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return text.length() > MAX_ERROR ? text.substring(0, MAX_ERROR) : text;
    }
}
