package dev.lethe.gdpr;

import dev.lethe.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The queue cap counts a project's unfinished tasks once a second at most, and exactly whenever it would refuse. */
class QueueCapTest {

    private final MutableClock clock = MutableClock.at("2026-11-30T12:00:00Z");
    /** What the store holds unfinished, per the test; every count is tallied. */
    private final AtomicLong queued = new AtomicLong();
    private final AtomicInteger counts = new AtomicInteger();
    private final QueueCap cap = new QueueCap(5, project -> {
        counts.incrementAndGet();
        return queued.get();
    }, clock);

    @Test
    void admissions_within_a_second_of_a_count_add_to_it_without_counting_again() {
        for (int i = 0; i < 4; i++) {
            assertThat(cap.admit(1)).isTrue();
            queued.incrementAndGet();
        }
        assertThat(counts).hasValue(1);
        clock.advance(Duration.ofMillis(QueueCap.FRESH_MS));
        assertThat(cap.admit(1)).isTrue();
        assertThat(counts).as("a count older than a second is taken again").hasValue(2);
    }

    @Test
    void the_cap_holds_exactly_on_one_instance() {
        for (int i = 0; i < 5; i++) {
            assertThat(cap.admit(1)).isTrue();
            queued.incrementAndGet();
        }
        assertThat(cap.admit(1)).isFalse();
        assertThat(cap.admit(1)).isFalse();
        clock.advance(Duration.ofSeconds(5));
        assertThat(cap.admit(1)).as("nothing finished").isFalse();
    }

    @Test
    void a_refusal_counts_again_so_a_task_that_just_finished_frees_its_place_at_once() {
        for (int i = 0; i < 5; i++) {
            cap.admit(1);
            queued.incrementAndGet();
        }
        int before = counts.get();
        queued.decrementAndGet();
        assertThat(cap.admit(1)).as("within the second of the last count").isTrue();
        assertThat(counts.get()).isEqualTo(before + 1);
    }

    @Test
    void tasks_queued_by_another_instance_count_once_this_one_counts_again() {
        assertThat(cap.admit(1)).isTrue();
        queued.set(5);
        clock.advance(Duration.ofMillis(QueueCap.FRESH_MS));
        assertThat(cap.admit(1)).isFalse();
    }

    @Test
    void projects_are_capped_apart() {
        Map<Long, Long> store = new HashMap<>();
        QueueCap perProject = new QueueCap(5, project -> store.getOrDefault(project, 0L), clock);
        for (int i = 0; i < 5; i++) {
            perProject.admit(1);
            store.merge(1L, 1L, Long::sum);
        }
        assertThat(perProject.admit(1)).isFalse();
        assertThat(perProject.admit(2)).isTrue();
    }

    @Test
    void a_clock_set_back_does_not_keep_an_old_count() {
        cap.admit(1);
        clock.advance(Duration.ofHours(-1));
        cap.admit(1);
        assertThat(counts).hasValue(2);
    }

    @Test
    void a_cap_of_zero_refuses_everything_and_a_negative_one_is_a_mistake() {
        assertThat(new QueueCap(0, project -> 0, clock).admit(1)).isFalse();
        assertThatThrownBy(() -> new QueueCap(-1, project -> 0, clock)).isInstanceOf(IllegalArgumentException.class);
    }
}
