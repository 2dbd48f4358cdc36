package dev.lethe.ratelimit;

import dev.lethe.domain.DomainException;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per project: {@code perSecond} requests a second on average, with a burst
 * of {@link #BURST_SECONDS} seconds' worth (at least {@link #MIN_BURST}). Over the limit the
 * request is refused with 429 and a {@code Retry-After} of when the next token arrives.
 */
public final class ProjectRateLimiter {

    static final int BURST_SECONDS = 3;
    static final int MIN_BURST = 3;

    private final String what;
    private final long capacity;
    private final Duration refillPeriod;
    private final ClockTimeMeter time;
    private final Map<Long, Bucket> buckets = new ConcurrentHashMap<>();

    /** @param what names the limited requests in the 429 message, e.g. "task creations" */
    public ProjectRateLimiter(String what, double perSecond, Clock clock) {
        if (!(perSecond > 0)) {
            throw new IllegalArgumentException("a rate limit must be positive, got " + perSecond);
        }
        this.what = what;
        this.capacity = Math.max(MIN_BURST, (long) Math.ceil(perSecond * BURST_SECONDS));
        // why: the whole capacity refills over capacity/rate seconds, which allows fractional rates such as 0.5/s
        this.refillPeriod = Duration.ofNanos((long) Math.ceil(capacity / perSecond * 1e9));
        this.time = new ClockTimeMeter(clock);
    }

    /** Takes one token of the project's bucket, or throws the 429. */
    public void acquire(long projectId) {
        ConsumptionProbe probe = buckets.computeIfAbsent(projectId, id -> newBucket()).tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            long seconds = (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L;
            throw DomainException.rateLimited("rate limit of " + what + " for this project exceeded; retry after "
                    + Math.max(1, seconds) + "s", seconds);
        }
    }

    private Bucket newBucket() {
        return Bucket.builder()
                .addLimit(limit -> limit.capacity(capacity).refillGreedy(capacity, refillPeriod))
                .withCustomTimePrecision(time)
                .build();
    }
}
