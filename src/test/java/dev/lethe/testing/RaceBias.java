package dev.lethe.testing;

import java.time.Duration;

/**
 * Steers a race run many times so that both sides win some of the trials. Before each trial one
 * side waits a head start given to the other; after a win of the first side the first waits a
 * little longer next time, after a win of the second a little less. The steps are sized so the
 * first side wins about {@code firstShare} of the trials, and the trials keep landing where the
 * two operations overlap, which is the point of running a race (a staircase procedure).
 */
public final class RaceBias {

    private final long upNanos;
    private final long downNanos;
    private final long limitNanos;
    /** Positive: the first side waits this long; negative: the second side does. */
    private volatile long offsetNanos;
    private int firstWins;
    private int secondWins;

    /**
     * @param firstShare the share of trials the first side should win, between 0 and 1 exclusive
     * @param step       how far one trial moves the head start; about a tenth of either operation
     * @param limit      the largest head start either side gets
     */
    public RaceBias(double firstShare, Duration step, Duration limit) {
        if (!(firstShare > 0 && firstShare < 1)) {
            throw new IllegalArgumentException("firstShare must be between 0 and 1: " + firstShare);
        }
        // why: at the balance point up * P(first wins) = down * P(second wins), so P(first wins) = firstShare.
        this.upNanos = Math.max(1, Math.round(step.toNanos() * (1 - firstShare)));
        this.downNanos = Math.max(1, Math.round(step.toNanos() * firstShare));
        this.limitNanos = limit.toNanos();
    }

    /** Called by the first side right before it acts. */
    public void beforeFirst() {
        spin(offsetNanos);
    }

    /** Called by the second side right before it acts. */
    public void beforeSecond() {
        spin(-offsetNanos);
    }

    /** Records the outcome of a trial, after both sides are done, and moves the head start. */
    public void record(boolean firstWon) {
        if (firstWon) {
            firstWins++;
            offsetNanos = Math.min(limitNanos, offsetNanos + upNanos);
        } else {
            secondWins++;
            offsetNanos = Math.max(-limitNanos, offsetNanos - downNanos);
        }
    }

    public int firstWins() {
        return firstWins;
    }

    public int secondWins() {
        return secondWins;
    }

    /** The head start of the next trial in µs: positive when the first side waits. */
    public long offsetMicros() {
        return offsetNanos / 1000;
    }

    // why: a busy wait, not a sleep: the head starts are tens of microseconds, below a sleep's resolution.
    private static void spin(long nanos) {
        if (nanos <= 0) {
            return;
        }
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }
}
