package dev.lethe.store;

import dev.lethe.event.EventRecord;
import dev.lethe.event.EventStore;
import dev.lethe.testing.StoreFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static dev.lethe.testing.EventBuilder.event;
import static org.assertj.core.api.Assertions.assertThat;

/** How PostgreSQL lays events out in monthly partitions; the behaviour itself is in EventStoreContract. */
class EventPartitionsPostgresTest extends StoreContract {

    static final long P = 1;

    EventStore events;

    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }

    @BeforeEach
    void stores() {
        events = new EventStore(db);
    }

    /** The partition of each of the id's rows, in time order. */
    private List<String> partitionsOf(String distinctId) {
        return db.withConnection(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT tableoid::regclass::text FROM events WHERE project_id = ? AND person_key = ? ORDER BY time_ms")) {
                ps.setLong(1, P);
                ps.setBytes(2, db.keys().person(P, distinctId));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
            return out;
        });
    }

    private List<String> partitions() {
        return db.withConnection(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT inhrelid::regclass::text FROM pg_inherits WHERE inhparent = 'events'::regclass ORDER BY 1");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    private long rowsInDefault() {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM events_default"); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Test
    void each_event_lands_in_the_partition_of_its_utc_month() {
        events.insert(P, List.of(
                event("alice").at("2026-11-01T00:00:00Z").build(),
                event("alice").at("2026-11-30T23:59:59.999Z").build(),
                event("alice").at("2026-12-01T00:00:00Z").build()));

        assertThat(partitionsOf("alice")).containsExactly("events_y2026m11", "events_y2026m11", "events_y2026m12");
        assertThat(partitions()).containsExactly("events_default", "events_y2026m11", "events_y2026m12");
    }

    @Test
    void far_past_and_far_future_events_go_to_the_default_partition_without_new_tables() {
        events.insert(P, List.of(event("alice").at("1960-01-01T00:00:00Z").build(),
                event("alice").at("2099-01-01T00:00:00Z").build()));

        assertThat(partitionsOf("alice")).containsExactly("events_default", "events_default");
        assertThat(partitions()).containsExactly("events_default");
    }

    @Test
    void events_kept_in_the_default_partition_move_into_their_month_when_it_is_created() {
        EventRecord middle = event("alice").at("2010-06-15T00:00:00Z").build();
        events.insert(P, List.of(event("alice").at("1990-01-01T00:00:00Z").build(), middle,
                event("alice").at("2026-11-01T00:00:00Z").build()));
        assertThat(partitionsOf("alice")).containsExactly("events_y1990m01", "events_default", "events_y2026m11");

        events.insert(P, List.of(event("bob").at("2010-06-20T00:00:00Z").build()));

        assertThat(partitionsOf("alice")).containsExactly("events_y1990m01", "events_y2010m06", "events_y2026m11");
        assertThat(partitionsOf("bob")).containsExactly("events_y2010m06");
        assertThat(rowsInDefault()).isZero();
        assertThat(events.insert(P, List.of(middle))).isZero();
    }

    @Test
    void a_month_created_in_a_rolled_back_transaction_is_created_again() {
        EventRecord e = event("alice").at("2031-03-03T00:00:00Z").build();
        try {
            db.inTransaction(c -> {
                events.insert(c, P, List.of(e));
                throw new IllegalStateException("caller failed after inserting");
            });
        } catch (IllegalStateException expected) {
            assertThat(partitions()).doesNotContain("events_y2031m03");
        }

        events.insert(P, List.of(e));

        assertThat(partitionsOf("alice")).containsExactly("events_y2031m03");
    }

    @Test
    void instances_racing_to_create_a_month_all_insert_and_create_it_once() throws Exception {
        int writers = 8;
        int perWriter = 50;
        CyclicBarrier start = new CyclicBarrier(writers);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try (Database other = Database.open(db.config())) {
            List<Future<Integer>> results = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                // why: half the writers go through a second instance, with its own partition cache.
                EventStore store = new EventStore(w % 2 == 0 ? db : other);
                String writer = "writer-" + w;
                List<EventRecord> mine = IntStream.range(0, perWriter)
                        .mapToObj(i -> event(writer).at("2030-05-01T00:00:00Z").insertId("i" + i).build()).toList();
                results.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    return store.insert(P, mine);
                }));
            }
            int total = 0;
            for (Future<Integer> r : results) {
                total += r.get(60, TimeUnit.SECONDS);
            }
            assertThat(total).isEqualTo(writers * perWriter);
        } finally {
            pool.shutdownNow();
        }

        assertThat(partitions()).containsExactly("events_default", "events_y2030m05");
        assertThat(rowsInDefault()).isZero();
    }
}
