package dev.lethe.demo;

import dev.lethe.event.EventRecord;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DemoEventsTest {

    static final long ANCHOR = 1_795_000_000_000L;

    @Test
    void the_same_anchor_gives_the_same_events() {
        assertThat(DemoEvents.generate(ANCHOR)).isEqualTo(DemoEvents.generate(ANCHOR));
        assertThat(DemoEvents.generate(ANCHOR)).isNotEqualTo(DemoEvents.generate(ANCHOR - 1));
    }

    @Test
    void insert_ids_are_unique_and_times_stay_within_the_span() {
        List<EventRecord> events = DemoEvents.generate(ANCHOR);

        assertThat(events).extracting(EventRecord::insertId).doesNotHaveDuplicates();
        assertThat(events).allMatch(e -> e.timeMs() <= ANCHOR && e.timeMs() >= ANCHOR - DemoEvents.SPAN.toMillis());
    }

    @Test
    void device_events_name_both_ids_once_signed_in() {
        DemoPerson bruno = DemoPerson.byUserId("bruno-5b2d");
        List<EventRecord> his = DemoEvents.generate(ANCHOR).stream()
                .filter(e -> e.distinctId().equals(bruno.userId())).toList();

        assertThat(his).isNotEmpty().allMatch(e -> e.propertiesJson().contains("\"$device_id\":\"" + bruno.deviceId() + "\"")
                && e.propertiesJson().contains("\"$user_id\":\"" + bruno.userId() + "\""));
    }
}
