package dev.lethe.ratelimit;

import dev.lethe.domain.DomainException;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per project: {@code perSecond} requests a second on average, with a burst of
 * {@code burst} requests at once (by default {@link #BURST_SECONDS} seconds' worth, at least
 * {@link #MIN_BURST}). Over the limit the request is refused as rate limited, with the seconds
 * until the next token arrives. An optional hourly cap applies on top of the rate.
 */
public final class ProjectRateLimiter {

    static final int BURST_SECONDS = 3;
    static final int MIN_BURST = 3;

    private final String what;
    private final long capacity;
    private final Duration refillPeriod;
    private final long perHour;
    private final ClockTimeMeter time;
    private final Map<Long, Bucket> buckets = new ConcurrentHashMap<>();

    /** @param what names the limited requests in the 429 message, e.g. "task creations" */
    public ProjectRateLimiter(String what, double perSecond, Clock clock) {
        this(what, perSecond, Math.max(MIN_BURST, (long) Math.ceil(perSecond * BURST_SECONDS)), clock);
    }

    /** @param burst how many requests a project may make at once before the rate applies */
    public ProjectRateLimiter(String what, double perSecond, long burst, Clock clock) {
        this(what, perSecond, burst, 0, clock);
    }

    /** @param perHour requests a project may make in an hour, on top of the rate and its default burst; 0 for no hourly cap */
    public static ProjectRateLimiter withHourlyCap(String what, double perSecond, long perHour, Clock clock) {
        return new ProjectRateLimiter(what, perSecond, Math.max(MIN_BURST, (long) Math.ceil(perSecond * BURST_SECONDS)),
                perHour, clock);
    }

    private ProjectRateLimiter(String what, double perSecond, long burst, long perHour, Clock clock) {
        if (!(perSecond > 0)) {
            throw new IllegalArgumentException("a rate limit must be positive, got " + perSecond);
        }
        if (burst < 1) {
            throw new IllegalArgumentException("a burst must be at least 1, got " + burst);
        }
        if (perHour < 0) {
            throw new IllegalArgumentException("an hourly limit must be 0 (none) or positive, got " + perHour);
        }
        this.what = what;
        this.capacity = burst;
        this.perHour = perHour;
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
        var builder = Bucket.builder().addLimit(limit -> limit.capacity(capacity).refillGreedy(capacity, refillPeriod));
        if (perHour > 0) {
            // why: intervally, not greedily: the hour's allowance comes back whole at the end of the hour, like Mixpanel's.
            builder.addLimit(limit -> limit.capacity(perHour).refillIntervally(perHour, Duration.ofHours(1)));
        }
        return builder.withCustomTimePrecision(time).build();
    }
}
