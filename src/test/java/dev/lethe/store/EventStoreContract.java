package dev.lethe.store;

import dev.lethe.event.EventRecord;
import dev.lethe.event.EventStore;
import dev.lethe.json.Json;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static dev.lethe.testing.EventBuilder.event;
import static org.assertj.core.api.Assertions.assertThat;

abstract class EventStoreContract extends StoreContract {

    static final long P = 1;
    static final long OTHER_PROJECT = 2;

    EventStore events;

    @BeforeEach
    void stores() {
        events = new EventStore(db);
    }

    @Test
    void insert_stores_every_field_and_returns_how_many_were_new() {
        EventRecord e = event("alice").named("Signed Up").at("2026-11-02T10:00:00Z").insertId("ins-1").source("import")
                .properties("{\"plan\":\"pro\",\"n\":1.5,\"tags\":[\"a\",\"b\"],\"nested\":{\"x\":null},\"name\":\"Zoë\"}").build();

        assertThat(events.insert(P, List.of(e, event("alice").at("2026-11-03T10:00:00Z").build()))).isEqualTo(2);

        EventRecord stored = events.list(P, List.of("alice")).get(0);
        assertThat(stored.distinctId()).isEqualTo("alice");
        assertThat(stored.event()).isEqualTo("Signed Up");
        assertThat(stored.timeMs()).isEqualTo(e.timeMs());
        assertThat(stored.insertId()).isEqualTo("ins-1");
        assertThat(stored.source()).isEqualTo("import");
        assertThat(stored.receivedAt()).isEqualTo(e.receivedAt());
        // why: jsonb normalises key order and spacing; the document, not its text, is kept.
        assertThat(Json.readTrusted(stored.propertiesJson())).isEqualTo(Json.readTrusted(e.propertiesJson()));
    }

    @Test
    void a_duplicate_by_id_time_event_and_insert_id_is_stored_once() {
        EventRecord e = event("alice").insertId("dup").build();

        assertThat(events.insert(P, List.of(e, e))).isEqualTo(1);
        assertThat(events.insert(P, List.of(e))).isZero();
        assertThat(events.count(P, List.of("alice"))).isEqualTo(1);

        EventRecord otherInsertId = event("alice").insertId("dup-2").build();
        EventRecord otherTime = event("alice").insertId("dup").at(e.timeMs() + 1).build();
        assertThat(events.insert(P, List.of(otherInsertId, otherTime))).isEqualTo(2);
        assertThat(events.insert(OTHER_PROJECT, List.of(e))).isEqualTo(1);
        assertThat(events.count(P, List.of("alice"))).isEqualTo(3);
    }

    @Test
    void a_batch_of_several_statements_counts_new_rows_once_with_duplicates_inside_and_across_statements() {
        List<EventRecord> batch = new ArrayList<>();
        for (int i = 0; i < 700; i++) {
            batch.add(event("alice").insertId("ins-" + i).at(1_790_000_000_000L + i).build());
        }
        // why: repeats of rows far earlier in the batch land in later statements of a multi-row store.
        for (int i = 0; i < 700; i += 7) {
            batch.add(batch.get(i));
        }
        batch.add(batch.get(batch.size() - 1));

        assertThat(events.insert(P, batch)).isEqualTo(700);
        assertThat(events.count(P, List.of("alice"))).isEqualTo(700);
        assertThat(events.insert(P, batch.subList(650, batch.size()))).isZero();
        assertThat(events.list(P, List.of("alice"))).extracting(EventRecord::insertId)
                .containsExactlyElementsOf(IntStream.range(0, 700).mapToObj(i -> "ins-" + i).toList());
    }

    @Test
    void forEach_streams_the_ids_events_from_fromMs_each_ids_together_oldest_first() {
        events.insert(P, List.of(
                event("bob").at("2026-10-01T00:00:00Z").build(),
                event("alice").at("2026-11-05T00:00:00Z").build(),
                event("alice").at("2026-09-01T00:00:00Z").build(),
                event("alice").at("2026-11-01T00:00:00Z").build(),
                event("carol").at("2026-11-01T00:00:00Z").build()));
        events.insert(OTHER_PROJECT, List.of(event("alice").at("2026-11-06T00:00:00Z").build()));

        List<String> seen = new ArrayList<>();
        events.forEach(P, List.of("alice", "bob"), event("x").at("2026-10-01T00:00:00Z").build().timeMs(),
                e -> seen.add(e.distinctId() + "@" + java.time.Instant.ofEpochMilli(e.timeMs())));

        List<String> alice = List.of("alice@2026-11-01T00:00:00Z", "alice@2026-11-05T00:00:00Z");
        List<String> bob = List.of("bob@2026-10-01T00:00:00Z");
        // why: the index orders ids by their keyed hash, not by the ids themselves
        boolean aliceFirst = IndexKeys.compare(db.keys().person(P, "alice"), db.keys().person(P, "bob")) < 0;
        List<String> expected = new ArrayList<>(aliceFirst ? alice : bob);
        expected.addAll(aliceFirst ? bob : alice);
        assertThat(seen).containsExactlyElementsOf(expected);
    }

    @Test
    void forEach_covers_more_ids_than_one_statement_binds() {
        List<String> ids = IntStream.range(0, Sql.MAX_IN + 101).mapToObj(i -> "user-" + i).toList();
        events.insert(P, ids.stream().map(id -> event(id).build()).toList());

        List<String> seen = new ArrayList<>();
        events.forEach(P, ids, Long.MIN_VALUE, e -> seen.add(e.distinctId()));

        assertThat(seen).hasSize(ids.size()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(events.count(P, ids)).isEqualTo(ids.size());
    }

    @Test
    void events_of_any_time_are_kept_including_far_past_and_far_future() {
        List<EventRecord> all = List.of(
                event("alice").at("1969-07-20T20:17:00Z").build(),
                event("alice").at("1999-12-31T23:59:59.999Z").build(),
                event("alice").at("2026-01-31T23:59:59.999Z").build(),
                event("alice").at("2026-02-01T00:00:00Z").build(),
                event("alice").at("2099-01-01T00:00:00Z").build());

        assertThat(events.insert(P, all)).isEqualTo(5);
        assertThat(events.insert(P, all)).isZero();

        assertThat(events.list(P, List.of("alice"))).extracting(EventRecord::timeMs)
                .containsExactlyElementsOf(all.stream().map(EventRecord::timeMs).toList());
    }

    @Test
    void events_kept_aside_by_a_wide_batch_stay_found_and_deduplicated_once_their_month_fills() {
        // A batch spanning decades: the months in between get no storage of their own yet.
        EventRecord middle = event("alice").at("2010-06-15T00:00:00Z").build();
        events.insert(P, List.of(event("alice").at("1990-01-01T00:00:00Z").build(), middle,
                event("alice").at("2026-11-01T00:00:00Z").build()));

        // A later, narrow batch of that middle month.
        assertThat(events.insert(P, List.of(middle, event("bob").at("2010-06-20T00:00:00Z").build()))).isEqualTo(1);

        assertThat(events.count(P, List.of("alice"))).isEqualTo(3);
        assertThat(events.list(P, List.of("alice", "bob"))).extracting(EventRecord::timeMs)
                .contains(middle.timeMs()).hasSize(4);
    }

    @Test
    void a_rolled_back_insert_leaves_nothing_and_a_retry_stores_the_events() {
        EventRecord e = event("alice").at("2031-03-03T00:00:00Z").build();
        try {
            db.inTransaction(c -> {
                events.insert(c, P, List.of(e));
                throw new IllegalStateException("caller failed after inserting");
            });
        } catch (IllegalStateException expected) {
            assertThat(expected).hasMessageContaining("caller failed");
        }
        assertThat(events.count(P, List.of("alice"))).isZero();

        assertThat(events.insert(P, List.of(e))).isEqualTo(1);
        assertThat(events.list(P, List.of("alice"))).hasSize(1);
    }

    @Test
    void deleteBatch_deletes_at_most_the_limit_and_only_the_given_persons_events() {
        List<EventRecord> alice = IntStream.range(0, 7)
                .mapToObj(i -> event("alice").at("2026-0" + (i + 1) + "-10T00:00:00Z").build()).toList();
        events.insert(P, alice);
        events.insert(P, List.of(event("bob").build(), event("alice-2").build()));
        events.insert(OTHER_PROJECT, List.of(event("alice").build()));

        int first = db.inTransaction(c -> events.deleteBatch(c, P, List.of("alice"), 3));
        assertThat(first).isEqualTo(3);
        assertThat(events.count(P, List.of("alice"))).isEqualTo(4);

        int rest = 0;
        int n;
        while ((n = db.inTransaction(c -> events.deleteBatch(c, P, List.of("alice"), 3))) > 0) {
            assertThat(n).isLessThanOrEqualTo(3);
            rest += n;
        }
        assertThat(rest).isEqualTo(4);
        assertThat(events.count(P, List.of("alice"))).isZero();
        assertThat(events.count(P, List.of("bob", "alice-2"))).isEqualTo(2);
        assertThat(events.count(OTHER_PROJECT, List.of("alice"))).isEqualTo(1);
    }

    /** A batch ends at an event, not a time: events sharing its time beyond the limit stay for the next batch. */
    @Test
    void deleteBatch_deletes_exactly_the_limit_of_events_that_share_one_time() {
        events.insert(P, IntStream.range(0, 7)
                .mapToObj(i -> event("alice").at("2026-03-10T00:00:00Z").insertId("same-time-" + i).build()).toList());
        events.insert(P, List.of(event("alice").at("2026-03-11T00:00:00Z").build()));

        int first = db.inTransaction(c -> events.deleteBatch(c, P, List.of("alice"), 3));
        assertThat(first).isEqualTo(3);
        assertThat(events.count(P, List.of("alice"))).isEqualTo(5);
        int second = db.inTransaction(c -> events.deleteBatch(c, P, List.of("alice"), 3));
        int last = db.inTransaction(c -> events.deleteBatch(c, P, List.of("alice"), 3));
        assertThat(List.of(second, last)).containsExactly(3, 2);
        assertThat(events.count(P, List.of("alice"))).isZero();
    }

    @Test
    void deleteBatch_across_several_ids_counts_toward_one_limit() {
        List<String> ids = IntStream.range(0, Sql.MAX_IN + 10).mapToObj(i -> "u" + i).toList();
        events.insert(P, ids.stream().map(id -> event(id).build()).toList());

        int deleted = db.inTransaction(c -> events.deleteBatch(c, P, ids, 505));
        assertThat(deleted).isEqualTo(505);
        assertThat(events.count(P, ids)).isEqualTo(ids.size() - 505);
    }

    @Test
    void countUpTo_stops_at_its_cap_across_every_chunk_of_ids() {
        List<String> ids = IntStream.range(0, Sql.MAX_IN + 10).mapToObj(i -> "u" + i).toList();
        events.insert(P, ids.stream().map(id -> event(id).build()).toList());
        events.insert(OTHER_PROJECT, ids.stream().map(id -> event(id).build()).toList());
        int all = ids.size();

        long capped = db.withConnection(c -> events.countUpTo(c, P, ids, 7));
        long beyondTheFirstChunk = db.withConnection(c -> events.countUpTo(c, P, ids, Sql.MAX_IN + 5));
        long uncapped = db.withConnection(c -> events.countUpTo(c, P, ids, all + 100));
        long none = db.withConnection(c -> events.countUpTo(c, P, List.of("nobody"), 7));
        assertThat(List.of(capped, beyondTheFirstChunk, uncapped, none))
                .containsExactly(7L, (long) Sql.MAX_IN + 5, (long) all, 0L);
    }

    @Test
    void count_counts_only_the_given_ids_of_the_project() {
        events.insert(P, List.of(event("alice").build(), event("alice").named("Other").build(), event("bob").build()));
        events.insert(OTHER_PROJECT, List.of(event("alice").build()));

        assertThat(events.count(P, List.of("alice"))).isEqualTo(2);
        assertThat(events.count(P, Set.of("alice", "bob"))).isEqualTo(3);
        assertThat(events.count(P, List.of("nobody"))).isZero();
    }
}
