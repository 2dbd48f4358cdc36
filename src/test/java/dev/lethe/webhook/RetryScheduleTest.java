package dev.lethe.webhook;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryScheduleTest {

    private static final long T0 = 1_800_000_000_000L;
    private final RetrySchedule schedule = RetrySchedule.DEFAULT;

    private long waitAfter(int failures, double jitter) {
        RetrySchedule.Decision d = schedule.afterFailure(failures, T0, T0, jitter);
        assertThat(d).isInstanceOf(RetrySchedule.RetryAt.class);
        return ((RetrySchedule.RetryAt) d).at() - T0;
    }

    @Test
    void the_wait_doubles_from_the_first_up_to_the_cap() {
        assertThat(waitAfter(1, 0.5)).isEqualTo(30_000);
        assertThat(waitAfter(2, 0.5)).isEqualTo(60_000);
        assertThat(waitAfter(3, 0.5)).isEqualTo(120_000);
        assertThat(waitAfter(8, 0.5)).isEqualTo(3_600_000);
        assertThat(waitAfter(40, 0.5)).isEqualTo(3_600_000);
    }

    @Test
    void jitter_moves_the_wait_between_half_and_one_and_a_half_times() {
        assertThat(waitAfter(2, 0.0)).isEqualTo(30_000);
        assertThat(waitAfter(2, 0.999_999)).isBetween(89_999L, 90_000L);
        assertThat(waitAfter(2, 0.25)).isEqualTo(45_000);
    }

    @Test
    void a_failure_before_24_hours_is_retried_one_at_or_after_gives_up() {
        long justBefore = T0 + Duration.ofHours(24).toMillis() - 1;
        assertThat(schedule.afterFailure(30, T0, justBefore, 0.5)).isInstanceOf(RetrySchedule.RetryAt.class);
        assertThat(schedule.afterFailure(30, T0, justBefore + 1, 0.5)).isInstanceOf(RetrySchedule.GiveUp.class);
    }

    @Test
    void retries_keep_coming_for_the_whole_24_hours() {
        long now = T0;
        int failures = 0;
        RetrySchedule.Decision d;
        while ((d = schedule.afterFailure(++failures, T0, now, 0.999)) instanceof RetrySchedule.RetryAt retry) {
            assertThat(retry.at() - now).isLessThanOrEqualTo(Duration.ofMinutes(90).toMillis());
            now = retry.at();
        }
        assertThat(now - T0).isGreaterThanOrEqualTo(Duration.ofHours(24).toMillis());
        assertThat(failures).isBetween(20, 40);
    }

    @Test
    void nonsense_schedules_are_refused() {
        assertThatThrownBy(() -> new RetrySchedule(Duration.ZERO, Duration.ofHours(1), Duration.ofHours(24)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetrySchedule(Duration.ofHours(2), Duration.ofHours(1), Duration.ofHours(24)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> schedule.afterFailure(0, T0, T0, 0.5)).isInstanceOf(IllegalArgumentException.class);
    }
}
