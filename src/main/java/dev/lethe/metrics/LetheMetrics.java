package dev.lethe.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * The metrics of one instance, in one Prometheus registry (docs/operations.md lists every series).
 * Each recording method names its series and its labels here, so the whole vocabulary is in one
 * place and a label can only take the values a caller passes for it: route templates, task kinds
 * and states, outcomes. Never a project, person, token or tracking id: those are personal data or
 * secrets, and unbounded besides.
 */
public final class LetheMetrics {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<Runnable> beforeScrape = new CopyOnWriteArrayList<>();

    /** The registry, for libraries that bind their own meters (HikariCP's pool). */
    public MeterRegistry registry() {
        return registry;
    }

    /** One HTTP request: {@code route} is the matched route template, never the raw path. */
    public void request(String route, String method, int status, Duration took) {
        Timer.builder("lethe.http.requests").description("HTTP requests by route template, method and status")
                .tags("route", route, "method", method, "status", Integer.toString(status))
                .register(registry).record(took);
        if (status == 429) {
            Counter.builder("lethe.http.rate.limited").description("requests refused with 429 by route template")
                    .tags("route", route).register(registry).increment();
        }
    }

    /** The outcome of one ingestion batch; {@code source} is the endpoint (track, import, load). */
    public void ingested(String source, int accepted, int duplicated, int dropped, int refusedLinks) {
        ingestion(source, "accepted", accepted);
        ingestion(source, "duplicated", duplicated);
        ingestion(source, "dropped", dropped);
        if (refusedLinks > 0) {
            Counter.builder("lethe.ingest.identity.links.refused")
                    .description("identity links claimed by ingested events that the merge rules refused")
                    .tags("source", source).register(registry).increment(refusedLinks);
        }
    }

    /** Events refused by validation, nothing of them stored. */
    public void refused(String source, int events) {
        ingestion(source, "refused", events);
    }

    private void ingestion(String source, String outcome, int n) {
        Counter c = Counter.builder("lethe.ingest.events").description("ingested events by source and outcome")
                .tags("source", source, "outcome", outcome).register(registry);
        if (n > 0) {
            c.increment(n);
        }
    }

    /** A task this instance took to an end state, and how long its run took. */
    public void taskFinished(String kind, String state, Duration took) {
        Timer.builder("lethe.tasks.run").description("task runs ended by this instance, by kind and end state")
                .tags("kind", kind, "state", state).register(registry).record(took);
    }

    /** A store maintenance run: {@code what} is compaction (SQLite rebuild) or scrub (after each deletion). */
    public void maintenance(String what, boolean ok, Duration took) {
        Timer.builder("lethe.store.maintenance").description("store rebuilds and post-deletion scrubs (VACUUM, WAL checkpoint)")
                .tags("operation", what, "outcome", ok ? "ok" : "failed").register(registry).record(took);
    }

    /**
     * One webhook delivery attempt by what came of it: {@code delivered} (2xx), {@code retried} (refused or
     * unanswered, tried again later), {@code failed} (given up). Never a webhook, URL or task in a label.
     */
    public void webhookDelivery(String outcome) {
        Counter.builder("lethe.webhook.deliveries").description("webhook delivery attempts by outcome")
                .tags("outcome", outcome).register(registry).increment();
    }

    /** A value read when scraped; {@code tags} are alternating names and values. */
    public void gauge(String name, String description, Supplier<Number> value, String... tags) {
        Gauge.builder(name, value).description(description).tags(tags).register(registry);
    }

    /**
     * Runs before every scrape, so values that cost a query (the task queue) are read once per
     * scrape, not once per series and not on a timer.
     */
    public void beforeScrape(Runnable refresh) {
        beforeScrape.add(refresh);
    }

    /** The Prometheus text exposition of every series. */
    public String scrape() {
        beforeScrape.forEach(Runnable::run);
        return registry.scrape();
    }

    /** The content type of {@link #scrape()}. */
    public static String contentType() {
        return "text/plain; version=0.0.4; charset=utf-8";
    }
}
