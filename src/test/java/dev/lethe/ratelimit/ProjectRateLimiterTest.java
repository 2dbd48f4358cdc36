package dev.lethe.ratelimit;

import dev.lethe.domain.DomainException;
import dev.lethe.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The token buckets on the injected clock: burst, refusal with Retry-After, refill, per project. */
class ProjectRateLimiterTest {

    private final MutableClock clock = MutableClock.at("2026-11-28T09:15:02Z");

    @Test
    void a_fractional_rate_allows_its_burst_then_asks_to_wait_for_the_next_token() {
        ProjectRateLimiter limiter = new ProjectRateLimiter("task creations", 0.5, clock);
        for (int i = 0; i < ProjectRateLimiter.MIN_BURST; i++) {
            limiter.acquire(1);
        }
        DomainException refused = catchThrowableOfType(DomainException.class, () -> limiter.acquire(1));
        assertThat(refused.reason()).isEqualTo(DomainException.Reason.RATE_LIMITED);
        assertThat(refused.retryAfterSeconds()).isEqualTo(2L);
        assertThat(refused.getMessage()).contains("task creations");
        assertThatCode(() -> limiter.acquire(2)).as("another project").doesNotThrowAnyException();
        clock.advance(Duration.ofSeconds(2));
        assertThatCode(() -> limiter.acquire(1)).doesNotThrowAnyException();
    }

    @Test
    void the_burst_is_three_seconds_worth_of_a_high_rate() {
        ProjectRateLimiter limiter = new ProjectRateLimiter("reads", 10, clock);
        for (int i = 0; i < 30; i++) {
            limiter.acquire(1);
        }
        DomainException refused = catchThrowableOfType(DomainException.class, () -> limiter.acquire(1));
        assertThat(refused.retryAfterSeconds()).isEqualTo(1L);
    }

    @Test
    void an_hourly_cap_refuses_until_the_hour_is_over_even_when_the_rate_allows() {
        ProjectRateLimiter limiter = ProjectRateLimiter.withHourlyCap("raw exports", 3, 4, clock);
        for (int i = 0; i < 4; i++) {
            limiter.acquire(1);
            clock.advance(Duration.ofSeconds(10));
        }
        DomainException refused = catchThrowableOfType(DomainException.class, () -> limiter.acquire(1));
        assertThat(refused.reason()).isEqualTo(DomainException.Reason.RATE_LIMITED);
        assertThat(refused.retryAfterSeconds()).as("the hour started 40 s ago").isEqualTo(3600L - 40);
        assertThatCode(() -> limiter.acquire(2)).as("another project").doesNotThrowAnyException();
        clock.advance(Duration.ofSeconds(3600 - 40));
        assertThatCode(() -> limiter.acquire(1)).doesNotThrowAnyException();
    }

    @Test
    void at_most_the_limit_of_calls_run_at_once_per_project_and_a_closed_slot_is_given_back_once() {
        ProjectConcurrency running = new ProjectConcurrency("raw exports", 2);
        ProjectConcurrency.Slot first = running.enter(1);
        ProjectConcurrency.Slot second = running.enter(1);
        DomainException refused = catchThrowableOfType(DomainException.class, () -> running.enter(1));
        assertThat(refused.reason()).isEqualTo(DomainException.Reason.RATE_LIMITED);
        assertThat(refused.retryAfterSeconds()).isEqualTo(1L);
        assertThat(refused.getMessage()).contains("raw exports");
        assertThatCode(() -> running.enter(2)).as("another project").doesNotThrowAnyException();
        first.close();
        first.close();
        ProjectConcurrency.Slot third = running.enter(1);
        assertThat(catchThrowableOfType(DomainException.class, () -> running.enter(1)))
                .as("closing one slot twice frees one place, not two").isNotNull();
        second.close();
        third.close();
    }

    @Test
    void a_rate_that_is_not_positive_is_refused() {
        assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> new ProjectRateLimiter("x", 0, clock)))
                .isNotNull();
    }
}
