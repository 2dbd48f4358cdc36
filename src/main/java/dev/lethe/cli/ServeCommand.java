package dev.lethe.cli;

import dev.lethe.app.LetheApp;
import dev.lethe.app.LogOutput;
import dev.lethe.config.LetheConfig;
import dev.lethe.demo.DemoBanner;
import dev.lethe.demo.DemoSeeder;
import dev.lethe.project.Region;
import dev.lethe.ratelimit.ReadQuota;
import dev.lethe.retrieval.ArchiveEncryption;
import dev.lethe.retrieval.ArchivePassword;
import dev.lethe.web.HttpLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

import static dev.lethe.config.LetheConfig.DEFAULT_ARCHIVE_TTL_DAYS;
import static dev.lethe.config.LetheConfig.DEFAULT_COMPACT_INTERVAL_SECONDS;
import static dev.lethe.config.LetheConfig.DEFAULT_COMPACT_MAX_DELAY_SECONDS;
import static dev.lethe.config.LetheConfig.DEFAULT_ID_RETENTION_DAYS;
import static dev.lethe.config.LetheConfig.DEFAULT_COMPACT_QUIET_SECONDS;
import static dev.lethe.config.LetheConfig.DEFAULT_DELETE_BATCH_SIZE;
import static dev.lethe.config.LetheConfig.DEFAULT_EXPORT_CONCURRENCY;
import static dev.lethe.config.LetheConfig.DEFAULT_EXPORT_HOURLY_LIMIT;
import static dev.lethe.config.LetheConfig.DEFAULT_EXPORT_RATE_LIMIT;
import static dev.lethe.config.LetheConfig.DEFAULT_HOST;
import static dev.lethe.config.LetheConfig.DEFAULT_QUERY_CONCURRENCY;
import static dev.lethe.config.LetheConfig.DEFAULT_QUERY_HOURLY_LIMIT;
import static dev.lethe.config.LetheConfig.DEFAULT_LOG_FORMAT;
import static dev.lethe.web.HttpLimits.DEFAULT_HTTP_READ_TIMEOUT_SECONDS;
import static dev.lethe.web.HttpLimits.DEFAULT_HTTP_THREADS;
import static dev.lethe.web.HttpLimits.DEFAULT_MIN_REQUEST_DATA_RATE;
import static dev.lethe.config.LetheConfig.DEFAULT_LEASE_SECONDS;
import static dev.lethe.config.LetheConfig.DEFAULT_MAX_BODY;
import static dev.lethe.config.LetheConfig.DEFAULT_MAX_QUEUED_TASKS;
import static dev.lethe.config.LetheConfig.DEFAULT_PORT;
import static dev.lethe.config.LetheConfig.DEFAULT_QUERY_RATE_LIMIT;
import static dev.lethe.config.LetheConfig.DEFAULT_RATE_LIMIT;
import static dev.lethe.config.LetheConfig.DEFAULT_RATE_LIMIT_BURST;
import static dev.lethe.config.LetheConfig.DEFAULT_READ_RATE_LIMIT;
import static dev.lethe.config.LetheConfig.DEFAULT_WORKERS;

/**
 * {@code lethe serve}. Every default lives in {@link LetheConfig} (the builder starts from it and the help
 * below prints it); an option left out, and its environment variable unset, keeps that default.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the HTTP API, ingestion and the task workers.")
public final class ServeCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

    @Spec
    CommandSpec spec;

    @Mixin
    StoreOptions store;

    @Option(names = "--port", defaultValue = "${env:LETHE_PORT}", description = "HTTP port (default " + DEFAULT_PORT + "; env LETHE_PORT)")
    Integer port;

    @Option(names = "--host", defaultValue = "${env:LETHE_HOST}", description = "Address to bind (default " + DEFAULT_HOST + "; env LETHE_HOST)")
    String host;

    @Option(names = "--region", defaultValue = "${env:LETHE_REGION}", description = "US (default), EU or IN (env LETHE_REGION)")
    String region;

    @Option(names = "--workers", defaultValue = "${env:LETHE_WORKERS}",
            description = "Task workers in this process; 0 runs the API only (default " + DEFAULT_WORKERS + "; env LETHE_WORKERS)")
    Integer workers;

    @Option(names = "--public-url", defaultValue = "${env:LETHE_PUBLIC_URL}",
            description = "Base URL put in download links, e.g. the reverse proxy's https://lethe.example.com "
                    + "(default http(s)://localhost:<port>; env LETHE_PUBLIC_URL)")
    String publicUrl;

    @Option(names = "--rate-limit", defaultValue = "${env:LETHE_RATE_LIMIT}",
            description = "GDPR task creations per second per project (default " + DEFAULT_RATE_LIMIT + "; env LETHE_RATE_LIMIT)")
    Double rateLimit;

    @Option(names = "--rate-limit-burst", defaultValue = "${env:LETHE_RATE_LIMIT_BURST}",
            description = "GDPR task creations a project may make at once before the rate applies "
                    + "(default " + DEFAULT_RATE_LIMIT_BURST + "; env LETHE_RATE_LIMIT_BURST)")
    Integer rateLimitBurst;

    @Option(names = "--read-rate-limit", defaultValue = "${env:LETHE_READ_RATE_LIMIT}",
            description = "GDPR reads and cancels per second per project (default " + DEFAULT_READ_RATE_LIMIT + "; env LETHE_READ_RATE_LIMIT)")
    Double readRateLimit;

    @Option(names = "--export-rate-limit", defaultValue = "${env:LETHE_EXPORT_RATE_LIMIT}",
            description = "Raw exports (/api/2.0/export) started per second per project (default " + DEFAULT_EXPORT_RATE_LIMIT
                    + "; env LETHE_EXPORT_RATE_LIMIT)")
    Double exportRateLimit;

    @Option(names = "--query-rate-limit", defaultValue = "${env:LETHE_QUERY_RATE_LIMIT}",
            description = "Read-API queries (engage pages, schema) per second per project (default " + DEFAULT_QUERY_RATE_LIMIT
                    + "; env LETHE_QUERY_RATE_LIMIT)")
    Double queryRateLimit;

    @Option(names = "--export-hourly-limit", defaultValue = "${env:LETHE_EXPORT_HOURLY_LIMIT}",
            description = "Raw exports per hour per project, 0 for none (default " + DEFAULT_EXPORT_HOURLY_LIMIT
                    + "; Mixpanel's is 60; env LETHE_EXPORT_HOURLY_LIMIT)")
    Integer exportHourlyLimit;

    @Option(names = "--export-concurrency", defaultValue = "${env:LETHE_EXPORT_CONCURRENCY}",
            description = "Raw exports running at once per project (default " + DEFAULT_EXPORT_CONCURRENCY
                    + "; env LETHE_EXPORT_CONCURRENCY)")
    Integer exportConcurrency;

    @Option(names = "--query-hourly-limit", defaultValue = "${env:LETHE_QUERY_HOURLY_LIMIT}",
            description = "Read-API queries per hour per project, 0 for none (default " + DEFAULT_QUERY_HOURLY_LIMIT
                    + "; Mixpanel's is 60; env LETHE_QUERY_HOURLY_LIMIT)")
    Integer queryHourlyLimit;

    @Option(names = "--query-concurrency", defaultValue = "${env:LETHE_QUERY_CONCURRENCY}",
            description = "Read-API queries running at once per project (default " + DEFAULT_QUERY_CONCURRENCY
                    + "; env LETHE_QUERY_CONCURRENCY)")
    Integer queryConcurrency;

    @Option(names = "--max-queued-tasks", defaultValue = "${env:LETHE_MAX_QUEUED_TASKS}",
            description = "Per-project cap on unfinished GDPR tasks (default " + DEFAULT_MAX_QUEUED_TASKS + "; env LETHE_MAX_QUEUED_TASKS)")
    Integer maxQueuedTasks;

    @Option(names = "--max-body-bytes", description = "Largest request body accepted (default " + DEFAULT_MAX_BODY + ")")
    Long maxBodyBytes;

    @Option(names = "--http-threads", description = "Request threads of the HTTP server (default " + DEFAULT_HTTP_THREADS + ")")
    Integer httpThreads;

    @Option(names = "--http-read-timeout-seconds",
            description = "Longest a request may wait in one read or write of its body or answer (default "
                    + DEFAULT_HTTP_READ_TIMEOUT_SECONDS + ")")
    Integer httpReadTimeoutSeconds;

    @Option(names = "--min-request-data-rate",
            description = "Slowest request body accepted, in bytes per second (0: no minimum); slower ones get 408 (default "
                    + DEFAULT_MIN_REQUEST_DATA_RATE + ")")
    Long minRequestDataRate;

    @Option(names = "--archive-ttl-days", description = "Days a retrieval archive stays downloadable (default " + DEFAULT_ARCHIVE_TTL_DAYS + ")")
    Integer archiveTtlDays;

    @Option(names = "--compact-interval-seconds",
            description = "Least seconds between two rebuilds (VACUUM) of the embedded store after deletions (default "
                    + DEFAULT_COMPACT_INTERVAL_SECONDS + ")")
    Integer compactIntervalSeconds;

    @Option(names = "--compact-quiet-seconds",
            description = "Seconds without ingestion or GDPR task activity before that rebuild starts (default "
                    + DEFAULT_COMPACT_QUIET_SECONDS + ")")
    Integer compactQuietSeconds;

    @Option(names = "--compact-max-delay-seconds",
            description = "Most seconds a requested rebuild waits for a quiet store before it runs anyway (default "
                    + DEFAULT_COMPACT_MAX_DELAY_SECONDS + ")")
    Integer compactMaxDelaySeconds;

    @Option(names = "--id-retention-days",
            description = "Days a finished GDPR task keeps its requested ids in clear before they are replaced by keyed "
                    + "hashes; 0 hashes them as soon as it finishes (default " + DEFAULT_ID_RETENTION_DAYS + ")")
    Integer idRetentionDays;

    @Option(names = "--lease-seconds", defaultValue = "${env:LETHE_LEASE_SECONDS}",
            description = "Seconds a worker holds a task without a heartbeat; after a crash another worker resumes it then "
                    + "(default " + DEFAULT_LEASE_SECONDS + "; env LETHE_LEASE_SECONDS)")
    Integer leaseSeconds;

    @Option(names = "--delete-batch-size", defaultValue = "${env:LETHE_DELETE_BATCH_SIZE}",
            description = "Events a deletion removes per short transaction; ingestion waits at most one batch "
                    + "(default " + DEFAULT_DELETE_BATCH_SIZE + "; env LETHE_DELETE_BATCH_SIZE)")
    Integer deleteBatchSize;

    @Option(names = "--encrypt-archives", description = "Encrypt retrieval archives with AES-256 (short for --archive-encryption aes-256)")
    boolean encryptArchives;

    @Option(names = "--archive-encryption",
            description = "none (default), aes-256 (strong; 7-Zip, zip4j, libarchive) or zipcrypto (traditional PKWARE: Python's "
                    + "zipfile and Mixpanel's clients open it, but it is weak); a project may choose its own with "
                    + "`lethe admin project set-archive-encryption`")
    String archiveEncryption;

    @Option(names = "--archive-password",
            description = "Password of encrypted archives: per-archive (random, shown once in the first verbose check; the default) "
                    + "or api-secret (the project's api_secret, as Mixpanel's v2 API)")
    String archivePassword;

    @Option(names = "--tls-cert", defaultValue = "${env:LETHE_TLS_CERT}",
            description = "PEM certificate chain: serve HTTPS (HTTP/1.1 and HTTP/2) instead of HTTP; needs --tls-key (env LETHE_TLS_CERT)")
    Path tlsCert;

    @Option(names = "--tls-key", defaultValue = "${env:LETHE_TLS_KEY}",
            description = "PEM private key (PKCS#8 or PKCS#1, unencrypted) of --tls-cert (env LETHE_TLS_KEY)")
    Path tlsKey;

    @Option(names = "--gdpr-api-secrets", negatable = true,
            description = "Let a project's api_secret (HTTP Basic) call the GDPR API for that project with the owner's rights, "
                    + "as some Mixpanel clients do (default: on; --no-gdpr-api-secrets turns it off)")
    Boolean gdprApiSecrets;

    @Option(names = "--metrics-token", defaultValue = "${env:LETHE_METRICS_TOKEN}",
            description = "Bearer token a scrape of /metrics must send; unset, /metrics answers only to this machine "
                    + "(loopback) (env LETHE_METRICS_TOKEN)")
    String metricsToken;

    @Option(names = "--log-format", defaultValue = "${env:LETHE_LOG_FORMAT}",
            description = "text or json (one JSON object per line, with the request_id also answered in X-Request-Id) "
                    + "(default " + DEFAULT_LOG_FORMAT + "; env LETHE_LOG_FORMAT)")
    String logFormat;

    @Option(names = "--demo", description = "Create a demo project with sample data (once) and print ready-to-paste curl commands")
    boolean demo;

    private ReadQuota quota(String hourlyFlag, Integer hourly, int defaultHourly, String concurrentFlag, Integer concurrent,
                            int defaultConcurrent) {
        if (hourly != null && hourly < 0) {
            throw new ParameterException(spec.commandLine(), hourlyFlag + " must be 0 (none) or positive");
        }
        if (concurrent != null && concurrent < 1) {
            throw new ParameterException(spec.commandLine(), concurrentFlag + " must be at least 1");
        }
        return new ReadQuota(hourly == null ? defaultHourly : hourly, concurrent == null ? defaultConcurrent : concurrent);
    }

    /** The configuration these options describe: each option given (or its env variable set) replaces one default. */
    LetheConfig config() {
        LetheConfig.Builder b = LetheConfig.builder(store.toConfig());
        set(host, b::host);
        set(port, b::port);
        set(region, r -> b.region(Region.parse(r)));
        set(workers, b::workers);
        set(publicUrl, b::publicUrl);
        set(rateLimit, b::rateLimit);
        set(rateLimitBurst, b::rateLimitBurst);
        set(readRateLimit, b::readRateLimit);
        set(exportRateLimit, b::exportRateLimit);
        set(queryRateLimit, b::queryRateLimit);
        b.exportQuota(quota("--export-hourly-limit", exportHourlyLimit, DEFAULT_EXPORT_HOURLY_LIMIT,
                "--export-concurrency", exportConcurrency, DEFAULT_EXPORT_CONCURRENCY));
        b.queryQuota(quota("--query-hourly-limit", queryHourlyLimit, DEFAULT_QUERY_HOURLY_LIMIT,
                "--query-concurrency", queryConcurrency, DEFAULT_QUERY_CONCURRENCY));
        set(maxQueuedTasks, b::maxQueuedTasks);
        set(maxBodyBytes, b::maxBodyBytes);
        set(archiveTtlDays, d -> b.archiveTtl(Duration.ofDays(d)));
        set(compactIntervalSeconds, s -> b.compactInterval(Duration.ofSeconds(s)));
        set(compactQuietSeconds, s -> b.compactQuiet(Duration.ofSeconds(s)));
        set(compactMaxDelaySeconds, s -> b.compactMaxDelay(Duration.ofSeconds(s)));
        if (idRetentionDays != null && idRetentionDays < 0) {
            throw new ParameterException(spec.commandLine(), "--id-retention-days cannot be negative");
        }
        set(idRetentionDays, d -> b.idRetention(Duration.ofDays(d)));
        set(leaseSeconds, s -> b.lease(Duration.ofSeconds(s)));
        set(deleteBatchSize, b::deleteBatchSize);
        set(metricsToken, b::metricsToken);
        if (logFormat != null) {
            try {
                b.logFormat(LetheConfig.LogFormat.parse(logFormat));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--log-format: " + e.getMessage());
            }
        }
        if (encryptArchives && archiveEncryption != null) {
            throw new ParameterException(spec.commandLine(), "--encrypt-archives and --archive-encryption: give one");
        }
        set(gdprApiSecrets, b::gdprApiSecrets);
        b.encryptArchives(encryptArchives);
        set(archiveEncryption, e -> b.archiveEncryption(ArchiveEncryption.parse(e)));
        set(archivePassword, a -> b.archivePassword(ArchivePassword.parse(a)));
        if (httpThreads != null || httpReadTimeoutSeconds != null || minRequestDataRate != null) {
            HttpLimits d = HttpLimits.DEFAULT;
            b.http(new HttpLimits(httpThreads == null ? d.maxThreads() : httpThreads,
                    httpReadTimeoutSeconds == null ? d.readTimeout() : Duration.ofSeconds(httpReadTimeoutSeconds),
                    minRequestDataRate == null ? d.minRequestDataRate() : minRequestDataRate, d.shutdownIdleTimeout()));
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new ParameterException(spec.commandLine(), "--tls-cert and --tls-key go together");
        }
        if (tlsCert != null) {
            b.tls(new LetheConfig.Tls(tlsCert, tlsKey));
        }
        return b.build();
    }

    private static <T> void set(T value, Consumer<T> setter) {
        if (value != null) {
            setter.accept(value);
        }
    }

    @Override
    public Integer call() throws Exception {
        LetheConfig config = config();
        LogOutput.use(config.logFormat());
        LetheApp app = new LetheApp(config, Clock.systemUTC());
        int bound = app.start();
        log.info("Lethe listening on port {} ({}, {} store, region {}, {} workers)", bound,
                config.tls() == null ? "HTTP" : "HTTPS", config.store().kind().name().toLowerCase(), config.region(), config.workers());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("shutting down");
            app.close();
            stopped.countDown();
        }, "lethe-shutdown"));
        if (demo) {
            // why: stdout, not the log: the block carries a fresh GDPR token meant for this user only;
            // after the shutdown hook, so a failed seeding still closes the store cleanly.
            System.out.print(DemoBanner.render(new DemoSeeder(app).seed(), app.baseUrl(), app.clock().instant()));
            System.out.flush();
        }
        stopped.await();
        return 0;
    }
}
