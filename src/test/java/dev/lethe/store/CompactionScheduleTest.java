package dev.lethe.store;

import dev.lethe.store.CompactionSchedule.Idle;
import dev.lethe.store.CompactionSchedule.Run;
import dev.lethe.store.CompactionSchedule.Wait;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pure decision of when the embedded store's rebuild runs: every branch, with plain instants. */
class CompactionScheduleTest {

    private static final Instant T0 = Instant.parse("2026-11-28T09:00:00Z");
    private final CompactionSchedule schedule =
            new CompactionSchedule(Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofHours(1));

    private static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    @Test
    void nothing_requested_is_idle_however_quiet_or_late() {
        assertThat(schedule.decide(null, at(0), at(0), at(10_000))).isEqualTo(new Idle());
    }

    @Test
    void within_the_minimum_interval_it_waits_for_its_end_even_when_quiet() {
        assertThat(schedule.decide(at(10), at(0), at(0), at(30))).isEqualTo(new Wait(at(60)));
    }

    @Test
    void within_the_minimum_interval_it_waits_even_past_the_maximum_delay() {
        CompactionSchedule shortMax = new CompactionSchedule(Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofSeconds(10));
        assertThat(shortMax.decide(at(1), at(0), at(30), at(59))).isEqualTo(new Wait(at(60)));
    }

    @Test
    void after_the_interval_a_store_quiet_for_the_quiet_period_is_rebuilt() {
        assertThat(schedule.decide(at(10), at(0), at(100), at(105))).isEqualTo(new Run(false));
        assertThat(schedule.decide(at(10), at(0), at(0), at(61))).isEqualTo(new Run(false));
    }

    @Test
    void a_store_quiet_for_less_than_the_quiet_period_waits_until_the_period_ends() {
        assertThat(schedule.decide(at(10), at(0), at(100), at(102))).isEqualTo(new Wait(at(105)));
    }

    @Test
    void a_busy_store_waits_one_quiet_period_then_decides_again() {
        // quietSince == now: work is in progress
        assertThat(schedule.decide(at(10), at(0), at(200), at(200))).isEqualTo(new Wait(at(205)));
    }

    @Test
    void a_busy_store_waits_no_later_than_the_maximum_delay() {
        Instant requested = at(10);
        Instant now = requested.plus(Duration.ofHours(1)).minusSeconds(2);
        assertThat(schedule.decide(requested, at(0), now, now)).isEqualTo(new Wait(requested.plus(Duration.ofHours(1))));
    }

    @Test
    void once_the_maximum_delay_has_passed_a_still_busy_store_is_rebuilt_anyway() {
        Instant requested = at(10);
        Instant deadline = requested.plus(Duration.ofHours(1));
        assertThat(schedule.decide(requested, at(0), deadline, deadline)).isEqualTo(new Run(true));
        assertThat(schedule.decide(requested, at(0), deadline.plusSeconds(30), deadline.plusSeconds(30))).isEqualTo(new Run(true));
    }

    @Test
    void quiet_wins_over_forced_when_both_hold() {
        Instant requested = at(10);
        Instant late = requested.plus(Duration.ofHours(2));
        assertThat(schedule.decide(requested, at(0), late.minusSeconds(10), late)).isEqualTo(new Run(false));
    }

    @Test
    void a_zero_quiet_period_turns_the_deferral_off_and_rebuilds_as_soon_as_the_interval_allows() {
        CompactionSchedule eager = new CompactionSchedule(Duration.ofSeconds(60), Duration.ZERO, Duration.ofHours(1));
        assertThat(eager.decide(at(10), at(0), at(61), at(61))).as("even while busy").isEqualTo(new Run(false));
    }

    @Test
    void negative_durations_are_refused() {
        assertThatThrownBy(() -> new CompactionSchedule(Duration.ofSeconds(-1), Duration.ZERO, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CompactionSchedule(Duration.ZERO, Duration.ofSeconds(-1), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CompactionSchedule(Duration.ZERO, Duration.ZERO, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
