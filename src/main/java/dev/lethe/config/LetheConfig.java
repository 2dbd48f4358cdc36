package dev.lethe.config;

import dev.lethe.project.Region;
import dev.lethe.store.CompactionSchedule;
import dev.lethe.store.StoreConfig;

import java.time.Duration;

/**
 * Everything an instance is configured with, built once from flags and environment
 * variables (see {@code cli/ServeCommand}) and never changed afterwards.
 *
 * @param publicUrl      base of the links Lethe hands out (download links); null means
 *                       {@code http://localhost:<port>}
 * @param rateLimit      task creations per second per project
 * @param readRateLimit  reads and cancels per second per project
 * @param exportRateLimit raw exports started per second per project
 * @param queryRateLimit  read-API queries (engage pages, schema) per second per project
 * @param maxQueuedTasks per-project cap on tasks not yet finished
 * @param lease          how long a claimed task stays with its worker without a heartbeat
 * @param compactInterval the least time between two rebuilds of the embedded store after deletions
 * @param compactQuiet    how long the store must be quiet (no ingestion, no task created or running)
 *                        before a requested rebuild starts
 * @param compactMaxDelay the longest a requested rebuild waits for quiet before it runs anyway
 */
public record LetheConfig(
        StoreConfig store,
        String host,
        int port,
        Region region,
        int workers,
        String publicUrl,
        double rateLimit,
        double readRateLimit,
        double exportRateLimit,
        double queryRateLimit,
        int maxQueuedTasks,
        long maxBodyBytes,
        Duration archiveTtl,
        boolean encryptArchives,
        Duration lease,
        Duration pollInterval,
        int deleteBatchSize,
        Duration compactInterval,
        Duration compactQuiet,
        Duration compactMaxDelay) {

    public static final long DEFAULT_MAX_BODY = 10L * 1024 * 1024;

    public static Builder builder(StoreConfig store) {
        return new Builder(store);
    }

    public Builder toBuilder() {
        return new Builder(store).host(host).port(port).region(region).workers(workers).publicUrl(publicUrl)
                .rateLimit(rateLimit).readRateLimit(readRateLimit).exportRateLimit(exportRateLimit).queryRateLimit(queryRateLimit)
                .maxQueuedTasks(maxQueuedTasks)
                .maxBodyBytes(maxBodyBytes).archiveTtl(archiveTtl).encryptArchives(encryptArchives)
                .lease(lease).pollInterval(pollInterval).deleteBatchSize(deleteBatchSize)
                .compactInterval(compactInterval).compactQuiet(compactQuiet).compactMaxDelay(compactMaxDelay);
    }

    /** When the embedded store's rebuild after deletions may run. */
    public CompactionSchedule compactionSchedule() {
        return new CompactionSchedule(compactInterval, compactQuiet, compactMaxDelay);
    }

    /** Defaults are those of {@code lethe serve} without flags. */
    public static final class Builder {
        private final StoreConfig store;
        private String host = "0.0.0.0";
        private int port = 8080;
        private Region region = Region.US;
        private int workers = 2;
        private String publicUrl;
        private double rateLimit = 1.0;
        private double readRateLimit = 10.0;
        // why: Mixpanel publishes 3 exports a second per project; engage paging needs more than its 60 an hour
        private double exportRateLimit = 3.0;
        private double queryRateLimit = 5.0;
        private int maxQueuedTasks = 1000;
        private long maxBodyBytes = DEFAULT_MAX_BODY;
        private Duration archiveTtl = Duration.ofDays(7);
        private boolean encryptArchives;
        private Duration lease = Duration.ofSeconds(30);
        private Duration pollInterval = Duration.ofMillis(200);
        private int deleteBatchSize = 5000;
        private Duration compactInterval = Duration.ofSeconds(60);
        private Duration compactQuiet = Duration.ofSeconds(5);
        private Duration compactMaxDelay = Duration.ofHours(1);

        private Builder(StoreConfig store) {
            this.store = store;
        }

        public Builder host(String v) { host = v; return this; }
        public Builder port(int v) { port = v; return this; }
        public Builder region(Region v) { region = v; return this; }
        public Builder workers(int v) { workers = v; return this; }
        public Builder publicUrl(String v) { publicUrl = v; return this; }
        public Builder rateLimit(double v) { rateLimit = v; return this; }
        public Builder readRateLimit(double v) { readRateLimit = v; return this; }
        public Builder exportRateLimit(double v) { exportRateLimit = v; return this; }
        public Builder queryRateLimit(double v) { queryRateLimit = v; return this; }
        public Builder maxQueuedTasks(int v) { maxQueuedTasks = v; return this; }
        public Builder maxBodyBytes(long v) { maxBodyBytes = v; return this; }
        public Builder archiveTtl(Duration v) { archiveTtl = v; return this; }
        public Builder encryptArchives(boolean v) { encryptArchives = v; return this; }
        public Builder lease(Duration v) { lease = v; return this; }
        public Builder pollInterval(Duration v) { pollInterval = v; return this; }
        public Builder deleteBatchSize(int v) { deleteBatchSize = v; return this; }
        public Builder compactInterval(Duration v) { compactInterval = v; return this; }
        public Builder compactQuiet(Duration v) { compactQuiet = v; return this; }
        public Builder compactMaxDelay(Duration v) { compactMaxDelay = v; return this; }

        public LetheConfig build() {
            return new LetheConfig(store, host, port, region, workers, publicUrl, rateLimit, readRateLimit,
                    exportRateLimit, queryRateLimit, maxQueuedTasks, maxBodyBytes, archiveTtl, encryptArchives, lease, pollInterval, deleteBatchSize,
                    compactInterval, compactQuiet, compactMaxDelay);
        }
    }
}
