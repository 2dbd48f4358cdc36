package dev.lethe.store;

import dev.lethe.testing.QueryPlan;
import dev.lethe.event.EventRecord;
import dev.lethe.event.EventStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.lethe.testing.EventBuilder.event;

/**
 * The raw export reads a time range of one project in (time_ms, id) order: the plan of
 * {@link EventStore#TIME_RANGE_SQL} must go through the time index, without reading the table
 * whole or sorting it, so a chunk costs what it returns.
 */
abstract class ExportPlanContract extends StoreContract {

    abstract void assertReadsThroughTheTimeIndexInOrder(List<String> plan);

    @BeforeEach
    void manyEventsOverSeveralMonths() {
        EventStore events = new EventStore(db);
        for (String month : List.of("2026-09", "2026-10", "2026-11")) {
            List<EventRecord> batch = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                String at = month + "-1" + (i % 10) + "T08:00:00Z";
                batch.add(event("user-" + (i % 300)).named("e" + (i % 5)).at(Instant.parse(at).toEpochMilli() + i)
                        .properties("{\"page\":\"/home\"}").build());
            }
            events.insert(1, batch);
            events.insert(2, batch);
        }
        db.withConnection(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("ANALYZE");
            }
            return null;
        });
    }

    private List<String> plan() {
        long from = Instant.parse("2026-10-01T00:00:00Z").toEpochMilli();
        long to = Instant.parse("2026-12-01T00:00:00Z").toEpochMilli();
        return db.withConnection(c -> QueryPlan.of(c.connection()::prepareStatement, EventStore.TIME_RANGE_SQL, ps -> {
            ps.setLong(1, 1);
            ps.setLong(2, from + 5);
            ps.setLong(3, to);
            ps.setLong(4, from + 5);
            ps.setLong(5, 12345);
            ps.setInt(6, 2000);
        }, false));
    }

    @Test
    void a_chunk_of_the_export_reads_the_time_index_in_order() {
        assertReadsThroughTheTimeIndexInOrder(plan());
    }
}
