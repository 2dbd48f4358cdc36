package dev.lethe.config;

import dev.lethe.auth.Passwords;
import dev.lethe.ingest.IdentityLinker;
import dev.lethe.project.Region;
import dev.lethe.ratelimit.ReadQuota;
import dev.lethe.retrieval.ArchiveEncryption;
import dev.lethe.retrieval.ArchivePassword;
import dev.lethe.store.CompactionSchedule;
import dev.lethe.store.StoreConfig;
import dev.lethe.web.HttpLimits;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything an instance is configured with, built once from flags and environment
 * variables (see {@code cli/ServeCommand}) and never changed afterwards.
 *
 * @param publicUrl      base of the links Lethe hands out (download links); null means
 *                       {@code http://localhost:<port>}
 * @param rateLimit      task creations per second per project
 * @param rateLimitBurst task creations a project may make at once before the rate applies
 * @param readRateLimit  reads and cancels per second per project
 * @param exportRateLimit raw exports started per second per project
 * @param queryRateLimit  read-API queries (engage pages, schema) per second per project
 * @param exportQuota    raw exports per hour and at once per project
 * @param queryQuota     read-API queries per hour and at once per project
 * @param maxQueuedTasks per-project cap on tasks not yet finished
 * @param lease          how long a claimed task stays with its worker without a heartbeat
 * @param compactInterval the least time between two rebuilds of the embedded store after deletions
 * @param compactQuiet    how long the store must be quiet (no ingestion, no task created or running)
 *                        before a requested rebuild starts
 * @param compactMaxDelay the longest a requested rebuild waits for quiet before it runs anyway
 * @param tls             the certificate and key to serve HTTPS (and HTTP/2) with, or null for plain HTTP
 * @param http            what a slow client may cost the HTTP server
 * @param archivePassword which password opens an encrypted archive
 * @param idRetention     how long a finished task keeps its requested ids in clear before they become keyed hashes
 * @param gdprApiSecrets  whether a project's api_secret (HTTP Basic) may call the GDPR API for that project
 * @param metricsToken    the bearer token a scrape of {@code /metrics} must send; null leaves the page open
 * @param logFormat       how log lines are written: plain text, or one JSON object per line
 * @param maxPersonIds    the most ids a person may reach through the links ingestion makes (Mixpanel's 500); tests of
 *                        the cap set a small one, so they need not build hundreds of links
 * @param passwordCost    what hashing a console password costs (Argon2id memory and passes)
 */
public record LetheConfig(
        StoreConfig store,
        String host,
        int port,
        Region region,
        int workers,
        String publicUrl,
        double rateLimit,
        int rateLimitBurst,
        double readRateLimit,
        double exportRateLimit,
        double queryRateLimit,
        ReadQuota exportQuota,
        ReadQuota queryQuota,
        int maxQueuedTasks,
        long maxBodyBytes,
        Duration archiveTtl,
        ArchiveEncryption archiveEncryption,
        Duration lease,
        Duration pollInterval,
        int deleteBatchSize,
        Duration compactInterval,
        Duration compactQuiet,
        Duration compactMaxDelay,
        Tls tls,
        HttpLimits http,
        ArchivePassword archivePassword,
        Duration idRetention,
        boolean gdprApiSecrets,
        String metricsToken,
        LogFormat logFormat,
        Passwords.Cost passwordCost,
        int maxPersonIds) {

    /** A PEM certificate chain and its private key. */
    public record Tls(Path certificate, Path privateKey) {
    }

    /** How log lines are written (the request id is in both: {@code request_id}). */
    public enum LogFormat {
        TEXT, JSON;

        public static LogFormat parse(String value) {
            try {
                return valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown log format '" + value + "' (use text or json)");
            }
        }
    }

    // The defaults of `lethe serve` without flags: the builder starts from them and the CLI's help prints them.
    public static final String DEFAULT_HOST = "0.0.0.0";
    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_WORKERS = 2;
    public static final double DEFAULT_RATE_LIMIT = 1.0;
    /**
     * Privacy tools split a job into requests of at most 2000 ids and send them together; 25 at once
     * lets a job of 50,000 people through, while a flood still meets the rate.
     */
    public static final int DEFAULT_RATE_LIMIT_BURST = 25;
    public static final double DEFAULT_READ_RATE_LIMIT = 10.0;
    /** Mixpanel publishes 3 exports a second per project. */
    public static final double DEFAULT_EXPORT_RATE_LIMIT = 3.0;
    /** Engage paging needs more than Mixpanel's 60 queries an hour. */
    public static final double DEFAULT_QUERY_RATE_LIMIT = 5.0;
    /** No hourly cap (Mixpanel's is 60, for exports and queries alike: give it with the flags to match). */
    public static final int DEFAULT_EXPORT_HOURLY_LIMIT = 0;
    public static final int DEFAULT_QUERY_HOURLY_LIMIT = 0;
    /** Each running export holds a store connection and a request thread until its last line. */
    public static final int DEFAULT_EXPORT_CONCURRENCY = 8;
    /** Mixpanel's concurrency limit of its query API. */
    public static final int DEFAULT_QUERY_CONCURRENCY = 5;
    public static final int DEFAULT_MAX_QUEUED_TASKS = 1000;
    /** Clients of Mixpanel's older APIs fall back to the api_secret; on by default, an operator may turn it off. */
    public static final boolean DEFAULT_GDPR_API_SECRETS = true;
    public static final long DEFAULT_MAX_BODY = 10L * 1024 * 1024;
    public static final int DEFAULT_ARCHIVE_TTL_DAYS = 7;
    public static final int DEFAULT_LEASE_SECONDS = 30;
    public static final int DEFAULT_POLL_MILLIS = 200;
    public static final int DEFAULT_DELETE_BATCH_SIZE = 5000;
    public static final int DEFAULT_COMPACT_INTERVAL_SECONDS = 60;
    public static final int DEFAULT_COMPACT_QUIET_SECONDS = 5;
    public static final int DEFAULT_COMPACT_MAX_DELAY_SECONDS = 3600;
    /** Long enough for a privacy tool to confirm the request; 0 hashes the ids as soon as the task finishes. */
    public static final int DEFAULT_ID_RETENTION_DAYS = 30;
    public static final String DEFAULT_LOG_FORMAT = "text";

    public static Builder builder(StoreConfig store) {
        return new Builder(store);
    }

    public Builder toBuilder() {
        return new Builder(store).host(host).port(port).region(region).workers(workers).publicUrl(publicUrl)
                .rateLimit(rateLimit).rateLimitBurst(rateLimitBurst).readRateLimit(readRateLimit)
                .exportRateLimit(exportRateLimit).queryRateLimit(queryRateLimit).exportQuota(exportQuota)
                .queryQuota(queryQuota).maxQueuedTasks(maxQueuedTasks)
                .maxBodyBytes(maxBodyBytes).archiveTtl(archiveTtl).archiveEncryption(archiveEncryption)
                .lease(lease).pollInterval(pollInterval).deleteBatchSize(deleteBatchSize)
                .compactInterval(compactInterval).compactQuiet(compactQuiet).compactMaxDelay(compactMaxDelay).tls(tls).http(http)
                .archivePassword(archivePassword).idRetention(idRetention)
                .gdprApiSecrets(gdprApiSecrets).metricsToken(metricsToken).logFormat(logFormat)
                .passwordCost(passwordCost);
    }

    /** When the embedded store's rebuild after deletions may run. */
    public CompactionSchedule compactionSchedule() {
        return new CompactionSchedule(compactInterval, compactQuiet, compactMaxDelay);
    }

    /** Defaults are those of {@code lethe serve} without flags. */
    public static final class Builder {
        private final StoreConfig store;
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private Region region = Region.US;
        private int workers = DEFAULT_WORKERS;
        private String publicUrl;
        private double rateLimit = DEFAULT_RATE_LIMIT;
        private int rateLimitBurst = DEFAULT_RATE_LIMIT_BURST;
        private double readRateLimit = DEFAULT_READ_RATE_LIMIT;
        private double exportRateLimit = DEFAULT_EXPORT_RATE_LIMIT;
        private double queryRateLimit = DEFAULT_QUERY_RATE_LIMIT;
        private ReadQuota exportQuota = new ReadQuota(DEFAULT_EXPORT_HOURLY_LIMIT, DEFAULT_EXPORT_CONCURRENCY);
        private ReadQuota queryQuota = new ReadQuota(DEFAULT_QUERY_HOURLY_LIMIT, DEFAULT_QUERY_CONCURRENCY);
        private int maxQueuedTasks = DEFAULT_MAX_QUEUED_TASKS;
        private long maxBodyBytes = DEFAULT_MAX_BODY;
        private Duration archiveTtl = Duration.ofDays(DEFAULT_ARCHIVE_TTL_DAYS);
        private ArchiveEncryption archiveEncryption = ArchiveEncryption.NONE;
        private Duration lease = Duration.ofSeconds(DEFAULT_LEASE_SECONDS);
        private Duration pollInterval = Duration.ofMillis(DEFAULT_POLL_MILLIS);
        private int deleteBatchSize = DEFAULT_DELETE_BATCH_SIZE;
        private Duration compactInterval = Duration.ofSeconds(DEFAULT_COMPACT_INTERVAL_SECONDS);
        private Duration compactQuiet = Duration.ofSeconds(DEFAULT_COMPACT_QUIET_SECONDS);
        private Duration compactMaxDelay = Duration.ofSeconds(DEFAULT_COMPACT_MAX_DELAY_SECONDS);
        private Tls tls;
        private HttpLimits http = HttpLimits.DEFAULT;
        private ArchivePassword archivePassword = ArchivePassword.PER_ARCHIVE;
        private Duration idRetention = Duration.ofDays(DEFAULT_ID_RETENTION_DAYS);
        private boolean gdprApiSecrets = DEFAULT_GDPR_API_SECRETS;
        private String metricsToken;
        private Passwords.Cost passwordCost = Passwords.Cost.OWASP_MINIMUM;
        private LogFormat logFormat = LogFormat.parse(DEFAULT_LOG_FORMAT);
        private int maxPersonIds = IdentityLinker.MAX_PERSON_IDS;

        private Builder(StoreConfig store) {
            this.store = store;
        }

        public Builder host(String v) { host = v; return this; }
        public Builder port(int v) { port = v; return this; }
        public Builder region(Region v) { region = v; return this; }
        public Builder workers(int v) { workers = v; return this; }
        public Builder publicUrl(String v) { publicUrl = v; return this; }
        public Builder rateLimit(double v) { rateLimit = v; return this; }
        public Builder rateLimitBurst(int v) { rateLimitBurst = v; return this; }
        public Builder readRateLimit(double v) { readRateLimit = v; return this; }
        public Builder exportRateLimit(double v) { exportRateLimit = v; return this; }
        public Builder queryRateLimit(double v) { queryRateLimit = v; return this; }
        public Builder exportQuota(ReadQuota v) { exportQuota = v; return this; }
        public Builder queryQuota(ReadQuota v) { queryQuota = v; return this; }
        public Builder maxQueuedTasks(int v) { maxQueuedTasks = v; return this; }
        public Builder maxBodyBytes(long v) { maxBodyBytes = v; return this; }
        public Builder archiveTtl(Duration v) { archiveTtl = v; return this; }
        /** AES-256 when true, a plain ZIP when false; see {@link #archiveEncryption} for the other methods. */
        public Builder encryptArchives(boolean v) { archiveEncryption = v ? ArchiveEncryption.AES_256 : ArchiveEncryption.NONE; return this; }
        public Builder archiveEncryption(ArchiveEncryption v) { archiveEncryption = v; return this; }
        public Builder lease(Duration v) { lease = v; return this; }
        public Builder pollInterval(Duration v) { pollInterval = v; return this; }
        public Builder deleteBatchSize(int v) { deleteBatchSize = v; return this; }
        public Builder compactInterval(Duration v) { compactInterval = v; return this; }
        public Builder compactQuiet(Duration v) { compactQuiet = v; return this; }
        public Builder compactMaxDelay(Duration v) { compactMaxDelay = v; return this; }
        public Builder tls(Tls v) { tls = v; return this; }
        public Builder http(HttpLimits v) { http = v; return this; }
        public Builder archivePassword(ArchivePassword v) { archivePassword = v; return this; }
        public Builder idRetention(Duration v) { idRetention = v; return this; }
        public Builder gdprApiSecrets(boolean v) { gdprApiSecrets = v; return this; }
        public Builder metricsToken(String v) { metricsToken = v; return this; }
        public Builder passwordCost(Passwords.Cost v) { passwordCost = v; return this; }
        public Builder logFormat(LogFormat v) { logFormat = v; return this; }
        public Builder maxPersonIds(int v) { maxPersonIds = v; return this; }

        public LetheConfig build() {
            return new LetheConfig(store, host, port, region, workers, publicUrl, rateLimit, rateLimitBurst, readRateLimit,
                    exportRateLimit, queryRateLimit, exportQuota, queryQuota, maxQueuedTasks, maxBodyBytes, archiveTtl, archiveEncryption, lease, pollInterval,
                    deleteBatchSize, compactInterval, compactQuiet, compactMaxDelay, tls, http, archivePassword, idRetention,
                    gdprApiSecrets, metricsToken, logFormat, passwordCost, maxPersonIds);
        }
    }
}
