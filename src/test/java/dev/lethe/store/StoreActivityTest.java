package dev.lethe.store;

import dev.lethe.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class StoreActivityTest {

    private final MutableClock clock = MutableClock.at("2026-11-28T09:00:00Z");
    private final StoreActivity activity = new StoreActivity(clock);
    private final Instant start = clock.instant();

    @Test
    void a_fresh_instance_is_quiet_since_it_started() {
        clock.advance(Duration.ofMinutes(1));
        assertThat(activity.quietSince()).isEqualTo(start);
    }

    @Test
    void work_in_progress_is_busy_now_and_quiet_starts_when_it_ends() {
        StoreActivity.Work work = activity.begin();
        clock.advance(Duration.ofMinutes(1));
        assertThat(activity.quietSince()).isEqualTo(clock.instant());
        work.close();
        Instant ended = clock.instant();
        clock.advance(Duration.ofSeconds(3));
        assertThat(activity.quietSince()).isEqualTo(ended);
        work.close();
        assertThat(activity.quietSince()).as("closing twice counts once").isEqualTo(ended);
    }

    @Test
    void overlapping_work_is_busy_until_the_last_one_ends() {
        StoreActivity.Work a = activity.begin();
        StoreActivity.Work b = activity.begin();
        clock.advance(Duration.ofSeconds(1));
        a.close();
        clock.advance(Duration.ofSeconds(1));
        assertThat(activity.quietSince()).isEqualTo(clock.instant());
        b.close();
        assertThat(activity.quietSince()).isEqualTo(clock.instant());
    }

    @Test
    void a_touch_restarts_the_quiet_period() {
        clock.advance(Duration.ofSeconds(10));
        activity.touch();
        Instant touched = clock.instant();
        clock.advance(Duration.ofSeconds(2));
        assertThat(activity.quietSince()).isEqualTo(touched);
    }
}
