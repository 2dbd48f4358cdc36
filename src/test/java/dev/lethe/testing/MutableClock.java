package dev.lethe.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** A clock tests move by hand, so nothing waits on real time. */
public final class MutableClock extends UtcClock {

    private volatile Instant now;

    public MutableClock(Instant start) {
        this.now = start;
    }

    public static MutableClock at(String isoInstant) {
        return new MutableClock(Instant.parse(isoInstant));
    }

    public void advance(Duration d) {
        now = now.plus(d);
    }

    public void set(Instant instant) {
        now = instant;
    }

    /**
     * A view of this clock that moves it on by {@code step} at every reading: code under test that reads the time
     * between its steps sees each step take that long.
     */
    public Clock advancingBy(Duration step) {
        MutableClock self = this;
        return new UtcClock() {
            @Override
            public Instant instant() {
                self.advance(step);
                return self.instant();
            }
        };
    }

    /**
     * A view of this clock that runs {@code hook} at every reading before it answers: a test can act at the moment
     * code under test reads the time (the hook itself decides when, e.g. once, from a given caller).
     */
    public Clock runningAtEachReading(Runnable hook) {
        MutableClock self = this;
        return new UtcClock() {
            @Override
            public Instant instant() {
                hook.run();
                return self.instant();
            }
        };
    }

    @Override
    public Instant instant() {
        return now;
    }
}
