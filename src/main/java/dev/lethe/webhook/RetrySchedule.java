package dev.lethe.webhook;

import java.time.Duration;

/**
 * When to try a failed delivery again: exponential backoff ({@code first}, doubling up to {@code max})
 * with jitter, so receivers coming back from an outage are not hit by every sender at once; and when
 * to stop: the first failure at least {@code giveUpAfter} after the event. A pure function, so every
 * branch is tested with chosen times and jitter.
 *
 * @param first       the wait after the first failed attempt (before jitter)
 * @param max         the longest wait between two attempts (before jitter)
 * @param giveUpAfter how long after the event a delivery is still tried
 */
public record RetrySchedule(Duration first, Duration max, Duration giveUpAfter) {

    /** 30 s, 1 min, 2 min, ... capped at 1 h: about 30 attempts over the 24 h before giving up. */
    public static final RetrySchedule DEFAULT = new RetrySchedule(Duration.ofSeconds(30), Duration.ofHours(1), Duration.ofHours(24));

    public RetrySchedule {
        if (first.isNegative() || first.isZero() || max.compareTo(first) < 0 || giveUpAfter.isNegative()) {
            throw new IllegalArgumentException("a retry schedule needs 0 < first <= max and giveUpAfter >= 0");
        }
    }

    /** What follows a failed attempt. */
    public sealed interface Decision permits RetryAt, GiveUp {
    }

    /** Try again at {@code at} (epoch ms). */
    public record RetryAt(long at) implements Decision {
    }

    /** The delivery failed for good. */
    public record GiveUp() implements Decision {
    }

    /**
     * @param failedAttempts how many attempts have failed, this one included (1 or more)
     * @param occurredAt     when the event happened (epoch ms)
     * @param now            when this attempt failed (epoch ms)
     * @param jitter         a uniform random number in [0, 1): the wait is scaled by 0.5 + jitter,
     *                       so it lies between half and one and a half times the backoff
     */
    public Decision afterFailure(int failedAttempts, long occurredAt, long now, double jitter) {
        if (failedAttempts < 1) {
            throw new IllegalArgumentException("afterFailure needs at least one failed attempt");
        }
        if (now - occurredAt >= giveUpAfter.toMillis()) {
            return new GiveUp();
        }
        return new RetryAt(now + Math.max(1, Math.round(backoff(failedAttempts) * (0.5 + jitter))));
    }

    /** The wait before jitter after {@code failedAttempts} failures, in ms. */
    long backoff(int failedAttempts) {
        long wait = first.toMillis();
        for (int i = 1; i < failedAttempts && wait < max.toMillis(); i++) {
            wait *= 2;
        }
        return Math.min(wait, max.toMillis());
    }
}
