package dev.lethe.store;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * When this instance last wrote to the store on behalf of a client or a task: event and
 * profile ingestion, task creation, and task execution mark it. {@link Compactor} reads it to
 * hold a rebuild back until the store has been quiet for a while. In-process only: it sees
 * this instance's writers, which on the embedded store (one process per data directory) are
 * all of them.
 */
public final class StoreActivity {

    private final Clock clock;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong lastMs;

    public StoreActivity(Clock clock) {
        this.clock = clock;
        // why: nothing has happened yet; "quiet since start-up" is the honest answer.
        this.lastMs = new AtomicLong(clock.millis());
    }

    /** Marks a write that is over by the time this returns (a task was queued). */
    public void touch() {
        lastMs.accumulateAndGet(clock.millis(), Math::max);
    }

    /**
     * Marks work in progress until the returned handle is closed; use with try-with-resources.
     * The store counts as busy the whole time, however long the work takes.
     */
    public Work begin() {
        inFlight.incrementAndGet();
        touch();
        return new Work();
    }

    /** The moment the store became quiet: {@code now} while work is in progress, else the end of the last write. */
    public Instant quietSince() {
        Instant now = clock.instant();
        if (inFlight.get() > 0) {
            return now;
        }
        return Instant.ofEpochMilli(lastMs.get());
    }

    /** A piece of work in progress; closing it more than once counts once. */
    public final class Work implements AutoCloseable {
        private boolean closed;

        private Work() {
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                touch();
                inFlight.decrementAndGet();
            }
        }
    }
}
