package dev.lethe.webhook;

import dev.lethe.store.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sender threads of one instance, each polling {@link WebhookSender#runOnce()}. Apart from the task
 * workers, so a slow receiver never holds up a task. Closing waits a grace period; a delivery in flight
 * after it stays leased and is sent again by whoever claims it next.
 */
public final class WebhookWorkers implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebhookWorkers.class);
    private static final Duration GRACE = Duration.ofSeconds(10);

    private final WebhookSender sender;
    private final ScheduledExecutorService threads;

    private WebhookWorkers(WebhookSender sender, int count) {
        this.sender = sender;
        AtomicInteger n = new AtomicInteger();
        this.threads = Executors.newScheduledThreadPool(count, r -> {
            // why: a request's writes go before a delivery's record of its attempt
            Thread t = new Thread(() -> Database.runAsBackground(r), "lethe-webhooks-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public static WebhookWorkers start(WebhookSender sender, int count, Duration pollInterval) {
        WebhookWorkers workers = new WebhookWorkers(sender, Math.max(1, count));
        for (int i = 0; i < Math.max(1, count); i++) {
            workers.threads.scheduleWithFixedDelay(workers::poll, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
        }
        return workers;
    }

    private void poll() {
        try {
            // why: drain what is due without waiting a poll interval between batches
            boolean more = true;
            while (more && !Thread.currentThread().isInterrupted()) {
                more = sender.runOnce() > 0;
            }
        } catch (RuntimeException e) {
            // why: an escaped exception would cancel this thread's schedule for good
            log.error("webhook sender poll failed; retrying at the next poll", e);
        }
    }

    @Override
    public void close() {
        threads.shutdown();
        try {
            if (!threads.awaitTermination(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                threads.shutdownNow();
                threads.awaitTermination(GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
