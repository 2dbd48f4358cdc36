package dev.lethe.store;

import dev.lethe.metrics.LetheMetrics;
import dev.lethe.store.CompactionSchedule.Run;
import dev.lethe.store.CompactionSchedule.Wait;
import dev.lethe.testing.MutableClock;
import dev.lethe.testing.StoreFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compactor on a real embedded store, driven one decision at a time ({@link Compactor#runIfDue()})
 * with a settable clock: no background thread, no sleeps.
 */
class CompactorTest {

    private static final Duration MIN_INTERVAL = Duration.ofSeconds(60);
    private static final Duration QUIET = Duration.ofSeconds(5);
    private static final Duration MAX_DELAY = Duration.ofMinutes(10);

    @TempDir
    Path tmp;
    Database db;
    MutableClock clock;
    StoreActivity activity;
    Compactor compactor;

    @BeforeEach
    void open() {
        db = Database.open(StoreFixture.sqlite().newStore(tmp));
        clock = MutableClock.at("2026-11-28T09:00:00Z");
        activity = new StoreActivity(clock);
        compactor = new Compactor(db, new CompactionSchedule(MIN_INTERVAL, QUIET, MAX_DELAY), activity, clock, new LetheMetrics());
    }

    @AfterEach
    void close() {
        compactor.close();
        db.close();
    }

    @Test
    void without_a_request_nothing_is_rebuilt() {
        clock.advance(Duration.ofHours(2));
        assertThat(compactor.runIfDue()).isInstanceOf(CompactionSchedule.Idle.class);
        assertThat(compactor.idle()).isTrue();
    }

    @Test
    void a_request_waits_out_the_minimum_interval_counted_from_start_up() {
        compactor.request();
        clock.advance(Duration.ofSeconds(30));
        assertThat(compactor.runIfDue()).isEqualTo(new Wait(clock.instant().plusSeconds(30)));
        assertThat(compactor.idle()).isFalse();
    }

    @Test
    void a_request_does_not_compact_while_ingestion_continues_and_compacts_once_the_store_is_quiet() {
        clock.advance(MIN_INTERVAL);
        compactor.request();
        // ingestion batches every two seconds for five minutes: never quiet for five seconds
        for (int i = 0; i < 150; i++) {
            try (StoreActivity.Work ignored = activity.begin()) {
                clock.advance(Duration.ofMillis(500));
            }
            clock.advance(Duration.ofMillis(1500));
            assertThat(compactor.runIfDue()).as("after batch %d", i).isInstanceOf(Wait.class);
        }
        assertThat(compactor.idle()).isFalse();

        clock.advance(QUIET.minusMillis(1501));
        assertThat(compactor.runIfDue()).as("quiet for 1 ms less than the period").isInstanceOf(Wait.class);
        clock.advance(Duration.ofMillis(1));
        assertThat(compactor.runIfDue()).as("quiet for the whole period").isEqualTo(new Run(false));
        assertThat(compactor.idle()).isTrue();
    }

    @Test
    void a_running_task_holds_the_rebuild_back_however_long_it_runs() {
        clock.advance(MIN_INTERVAL);
        compactor.request();
        try (StoreActivity.Work task = activity.begin()) {
            clock.advance(Duration.ofMinutes(3));
            assertThat(compactor.runIfDue()).isEqualTo(new Wait(clock.instant().plus(QUIET)));
            assertThat(compactor.idle()).isFalse();
        }
        clock.advance(QUIET);
        assertThat(compactor.runIfDue()).isEqualTo(new Run(false));
        assertThat(compactor.idle()).isTrue();
    }

    @Test
    void under_constant_load_the_rebuild_runs_anyway_once_the_maximum_delay_has_passed() {
        clock.advance(MIN_INTERVAL);
        compactor.request();
        try (StoreActivity.Work busy = activity.begin()) {
            clock.advance(MAX_DELAY.minusSeconds(1));
            assertThat(compactor.runIfDue()).isEqualTo(new Wait(clock.instant().plusSeconds(1)));
            clock.advance(Duration.ofSeconds(1));
            assertThat(compactor.runIfDue()).isEqualTo(new Run(true));
            assertThat(compactor.idle()).isTrue();
        }
    }

    @Test
    void requests_arriving_after_a_rebuild_wait_for_the_minimum_interval_and_share_one_run() {
        clock.advance(MIN_INTERVAL.plus(QUIET));
        compactor.request();
        assertThat(compactor.runIfDue()).isEqualTo(new Run(false));
        clock.advance(Duration.ofSeconds(10));
        compactor.request();
        clock.advance(Duration.ofSeconds(10));
        compactor.request();
        assertThat(compactor.runIfDue()).isEqualTo(new Wait(clock.instant().plusSeconds(40)));
        clock.advance(Duration.ofSeconds(40));
        assertThat(compactor.runIfDue()).isEqualTo(new Run(false));
        assertThat(compactor.idle()).isTrue();
        assertThat(compactor.runIfDue()).isInstanceOf(CompactionSchedule.Idle.class);
    }

    @Test
    void a_failed_rebuild_keeps_its_requests_and_is_tried_again_after_the_minimum_interval() {
        clock.advance(MIN_INTERVAL.plus(QUIET));
        compactor.request();
        db.close();
        assertThat(compactor.runIfDue()).as("the rebuild was attempted").isEqualTo(new Run(false));
        assertThat(compactor.idle()).isFalse();
        assertThat(compactor.runIfDue()).isEqualTo(new Wait(clock.instant().plus(MIN_INTERVAL)));
    }

    @Test
    void the_maximum_delay_counts_from_the_oldest_request_a_failed_rebuild_left_pending() {
        clock.advance(MIN_INTERVAL);
        compactor.request();
        clock.advance(QUIET);
        db.close();
        compactor.runIfDue();
        activity.begin();
        clock.advance(MAX_DELAY.minus(QUIET));
        assertThat(compactor.decision()).isEqualTo(new Run(true));
    }
}
