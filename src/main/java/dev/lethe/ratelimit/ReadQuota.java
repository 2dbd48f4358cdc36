package dev.lethe.ratelimit;

/**
 * What one kind of read call (raw exports, or queries such as engage pages) may cost a project,
 * on top of its per-second rate: calls an hour ({@code 0}: no hourly cap) and calls running at once.
 * Mixpanel publishes both for its read APIs (exports: 60 an hour, 100 at once; queries: 60 an
 * hour, 5 at once); Lethe keeps the concurrency caps and leaves the hourly ones to the operator,
 * since 60 an hour would make paging through 20,000 profiles take twenty minutes of a self-hosted store.
 */
public record ReadQuota(int perHour, int concurrent) {

    public ReadQuota {
        if (perHour < 0) {
            throw new IllegalArgumentException("an hourly limit must be 0 (none) or positive, got " + perHour);
        }
        if (concurrent < 1) {
            throw new IllegalArgumentException("a concurrency limit must be at least 1, got " + concurrent);
        }
    }
}
