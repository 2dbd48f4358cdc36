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
 * Finding a person's events must cost what the person has, not what the store holds: the
 * query plan of {@link EventStore#personEventsSql} reads the person index, never the table.
 */
abstract class PersonLookupPlanContract extends StoreContract {

    static final long P = 1;
    static final String BROWSING = "{\"$browser\":\"Firefox\",\"page\":\"/home\"}";

    /** Fails unless the plan reads events only through the person index. */
    abstract void assertReadsOnlyThroughTheIndex(List<String> plan);

    @BeforeEach
    void manyPeopleOverSeveralMonths() {
        EventStore events = new EventStore(db);
        // why: 1969 is before any monthly partition, so on PostgreSQL the default partition
        // holds people too and its plan is checked like the others.
        for (String month : List.of("1969-12", "2026-09", "2026-10", "2026-11")) {
            List<EventRecord> batch = new ArrayList<>();
            for (int person = 0; person < 200; person++) {
                for (int i = 0; i < 10; i++) {
                    String id = "user-" + person;
                    String at = month + "-1" + i + "T08:00:00Z";
                    // why: the planner weighs a scan by the table's size; the rows keep the width the plan was checked with.
                    batch.add(event(id).named("e" + i).at(at).insertId(id + "-e" + i + "-" + Instant.parse(at).toEpochMilli())
                            .properties(BROWSING).build());
                }
            }
            events.insert(P, batch);
        }
        // why: with fresh statistics the planner is free to pick a scan if it were cheaper.
        db.withConnection(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("ANALYZE");
            }
            return null;
        });
    }

    private List<String> planFor(List<String> ids, long fromMs) {
        return db.withConnection(c -> QueryPlan.of(c.connection()::prepareStatement, EventStore.personEventsSql(ids.size()), ps -> {
            ps.setLong(1, P);
            int next = db.keys().bindPersons(ps, 2, P, ids);
            ps.setLong(next, fromMs);
        }, false));
    }

    @Test
    void one_persons_events_are_read_through_the_person_index() {
        assertReadsOnlyThroughTheIndex(planFor(List.of("user-7"), Long.MIN_VALUE));
    }

    @Test
    void several_ids_with_a_time_window_are_read_through_the_person_index() {
        assertReadsOnlyThroughTheIndex(planFor(List.of("user-7", "user-8", "user-99"),
                Instant.parse("2026-10-15T00:00:00Z").toEpochMilli()));
    }
}
