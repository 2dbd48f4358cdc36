package dev.lethe.cli;

import dev.lethe.app.LetheApp;
import dev.lethe.config.LetheConfig;
import dev.lethe.demo.DemoBanner;
import dev.lethe.demo.DemoSeeder;
import dev.lethe.project.Region;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the HTTP API, ingestion and the task workers.")
public final class ServeCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

    @Mixin
    StoreOptions store;

    @Option(names = "--port", defaultValue = "${env:LETHE_PORT:-8080}", description = "HTTP port (env LETHE_PORT)")
    int port;

    @Option(names = "--host", defaultValue = "${env:LETHE_HOST:-0.0.0.0}", description = "Address to bind (env LETHE_HOST)")
    String host;

    @Option(names = "--region", defaultValue = "${env:LETHE_REGION:-US}", description = "US, EU or IN (env LETHE_REGION)")
    String region;

    @Option(names = "--workers", defaultValue = "${env:LETHE_WORKERS:-2}",
            description = "Task workers in this process; 0 runs the API only (env LETHE_WORKERS)")
    int workers;

    @Option(names = "--public-url", defaultValue = "${env:LETHE_PUBLIC_URL}",
            description = "Base URL put in download links (default http://localhost:<port>)")
    String publicUrl;

    @Option(names = "--rate-limit", defaultValue = "${env:LETHE_RATE_LIMIT:-1}",
            description = "GDPR task creations per second per project")
    double rateLimit;

    @Option(names = "--read-rate-limit", defaultValue = "${env:LETHE_READ_RATE_LIMIT:-10}",
            description = "GDPR reads and cancels per second per project")
    double readRateLimit;

    @Option(names = "--export-rate-limit", defaultValue = "${env:LETHE_EXPORT_RATE_LIMIT:-3}",
            description = "Raw exports (/api/2.0/export) started per second per project")
    double exportRateLimit;

    @Option(names = "--query-rate-limit", defaultValue = "${env:LETHE_QUERY_RATE_LIMIT:-5}",
            description = "Read-API queries (engage pages, schema) per second per project")
    double queryRateLimit;

    @Option(names = "--max-queued-tasks", defaultValue = "${env:LETHE_MAX_QUEUED_TASKS:-1000}",
            description = "Per-project cap on unfinished GDPR tasks")
    int maxQueuedTasks;

    @Option(names = "--max-body-bytes", defaultValue = "10485760", description = "Largest request body accepted")
    long maxBodyBytes;

    @Option(names = "--archive-ttl-days", defaultValue = "7", description = "Days a retrieval archive stays downloadable")
    int archiveTtlDays;

    @Option(names = "--compact-interval-seconds", defaultValue = "60",
            description = "Least seconds between two rebuilds (VACUUM) of the embedded store after deletions")
    int compactIntervalSeconds;

    @Option(names = "--compact-quiet-seconds", defaultValue = "5",
            description = "Seconds without ingestion or GDPR task activity before that rebuild starts")
    int compactQuietSeconds;

    @Option(names = "--compact-max-delay-seconds", defaultValue = "3600",
            description = "Most seconds a requested rebuild waits for a quiet store before it runs anyway")
    int compactMaxDelaySeconds;

    @Option(names = "--lease-seconds", defaultValue = "${env:LETHE_LEASE_SECONDS:-30}",
            description = "Seconds a worker holds a task without a heartbeat; after a crash another worker resumes it then")
    int leaseSeconds;

    @Option(names = "--delete-batch-size", defaultValue = "${env:LETHE_DELETE_BATCH_SIZE:-5000}",
            description = "Events a deletion removes per short transaction; ingestion waits at most one batch")
    int deleteBatchSize;

    @Option(names = "--encrypt-archives", description = "AES-256 encrypt retrieval archives with the project's api_secret")
    boolean encryptArchives;

    @Option(names = "--demo", description = "Create a demo project with sample data (once) and print ready-to-paste curl commands")
    boolean demo;

    @Override
    public Integer call() throws Exception {
        LetheConfig config = LetheConfig.builder(store.toConfig())
                .host(host).port(port).region(Region.parse(region)).workers(workers).publicUrl(publicUrl)
                .rateLimit(rateLimit).readRateLimit(readRateLimit).maxQueuedTasks(maxQueuedTasks)
                .exportRateLimit(exportRateLimit).queryRateLimit(queryRateLimit)
                .maxBodyBytes(maxBodyBytes).archiveTtl(Duration.ofDays(archiveTtlDays)).encryptArchives(encryptArchives)
                .compactInterval(Duration.ofSeconds(compactIntervalSeconds))
                .compactQuiet(Duration.ofSeconds(compactQuietSeconds))
                .compactMaxDelay(Duration.ofSeconds(compactMaxDelaySeconds))
                .lease(Duration.ofSeconds(leaseSeconds)).deleteBatchSize(deleteBatchSize)
                .build();
        LetheApp app = new LetheApp(config, Clock.systemUTC());
        int bound = app.start();
        log.info("Lethe listening on port {} ({} store, region {}, {} workers)", bound,
                config.store().kind().name().toLowerCase(), config.region(), config.workers());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("shutting down");
            app.close();
            stopped.countDown();
        }, "lethe-shutdown"));
        if (demo) {
            // why: stdout, not the log: the block carries a fresh GDPR token meant for this user only;
            // after the shutdown hook, so a failed seeding still closes the store cleanly.
            System.out.print(DemoBanner.render(new DemoSeeder(app).seed(), "http://localhost:" + bound, app.clock().instant()));
            System.out.flush();
        }
        stopped.await();
        return 0;
    }
}
