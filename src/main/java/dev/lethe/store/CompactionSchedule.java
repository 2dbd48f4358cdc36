package dev.lethe.store;

import java.time.Duration;
import java.time.Instant;

/**
 * When the coalesced rebuild of the embedded store may run: a pure function of the times
 * involved, so it is tested without threads or clocks.
 *
 * <p>A rebuild holds the store's write lock for a time that grows with the whole store, so it
 * waits until the store has been quiet (no ingestion write, no task being created or run) for
 * {@code quiet}. Under constant load the store is never quiet, so a request waits at most
 * {@code maxDelay}; then the rebuild runs anyway and writers queue behind it. In every case two
 * rebuilds are at least {@code minInterval} apart, which wins over {@code maxDelay} when it is
 * the longer of the two.
 *
 * @param minInterval least time between the start of one rebuild and the start of the next
 * @param quiet       how long the store must have been quiet before a rebuild starts
 * @param maxDelay    longest time a requested rebuild waits for quiet
 */
public record CompactionSchedule(Duration minInterval, Duration quiet, Duration maxDelay) {

    public CompactionSchedule {
        for (Duration d : new Duration[] {minInterval, quiet, maxDelay}) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("compaction durations must not be negative");
            }
        }
    }

    /** What the compactor should do now. */
    public sealed interface Decision {
    }

    /** No rebuild is owed: sleep until the next request. */
    public record Idle() implements Decision {
    }

    /** Nothing to do before {@code until}; decide again then (or on the next request). */
    public record Wait(Instant until) implements Decision {
    }

    /** Rebuild now; {@code forced} when the store was still busy and the maximum delay ran out. */
    public record Run(boolean forced) implements Decision {
    }

    /**
     * @param requestedAt when the oldest request not yet served by a rebuild arrived; null if none
     * @param lastRun     when the last rebuild started (start-up time before the first)
     * @param quietSince  since when the store has been quiet ({@code now} while work is in progress)
     * @param now         the present
     */
    public Decision decide(Instant requestedAt, Instant lastRun, Instant quietSince, Instant now) {
        if (requestedAt == null) {
            return new Idle();
        }
        Instant earliest = lastRun.plus(minInterval);
        if (now.isBefore(earliest)) {
            return new Wait(earliest);
        }
        Instant quietEnough = quietSince.plus(quiet);
        if (!now.isBefore(quietEnough)) {
            return new Run(false);
        }
        Instant deadline = requestedAt.plus(maxDelay);
        if (!now.isBefore(deadline)) {
            return new Run(true);
        }
        return new Wait(quietEnough.isBefore(deadline) ? quietEnough : deadline);
    }
}
