package dev.lethe.store;

import dev.lethe.crypto.Secrets;
import dev.lethe.event.EventStore;
import dev.lethe.profile.ProfileStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;

import static dev.lethe.testing.EventBuilder.NOW_MS;
import static dev.lethe.testing.EventBuilder.event;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * After a deletion, {@link Dialect#scrubAfterDeletion} removes what the store itself keeps of
 * the deleted rows. What "removed" can mean differs per backend (docs/erasure.md), so each
 * subclass says what residue it can see.
 */
abstract class ScrubAfterDeletionContract extends StoreContract {

    static final long P = 1;

    EventStore events;
    ProfileStore profiles;
    String person;
    /** The partitions of events the deletion deleted from, as the deletion worker collects them. */
    final Set<String> touched = new TreeSet<>();

    /** Whether the store still holds anything of rows that contained {@code marker}. */
    abstract boolean residueOf(String marker);

    /** Whether the planner statistics hold this fragment of a stored value. */
    abstract boolean statisticsHold(String fragment);

    /** Called once the rows are written, before they are deleted. */
    void beforeDeletion() {
    }

    @BeforeEach
    void personWithEventsAndProfile() {
        events = new EventStore(db);
        profiles = new ProfileStore(db);
        // why: a random id cannot occur in the files by chance, so finding it means residue.
        person = "erase-me-" + Secrets.random(24);
        events.insert(P, IntStream.range(0, 50).mapToObj(i -> event(person).at(1_796_000_000_000L + i)
                .properties("{\"email\":\"" + person + "@example.com\"}").build()).toList());
        // why: the bystander's event falls in the month of the person's, so on PostgreSQL it shares the partition the scrub works on.
        events.insert(P, List.of(event("bystander").at(NOW_MS).properties("{\"email\":\"bystander@example.com\"}").build()));
        profiles.update(P, person, 0, p -> p.put("$email", person + "@example.com"));
        beforeDeletion();
    }

    void deletePerson() {
        db.inTransaction(c -> {
            while (events.deleteBatch(c, P, List.of(person), 20, touched) > 0) {
                // why: bounded batches, as the deletion worker runs them
            }
            profiles.delete(c, P, List.of(person));
            return null;
        });
    }

    @Test
    void deleted_rows_leave_residue_until_the_scrub_and_none_after() {
        deletePerson();
        assertThat(residueOf(person)).as("residue right after the delete").isTrue();

        db.withConnection(c -> {
            db.dialect().scrubAfterDeletion(c.connection(), touched);
            return null;
        });

        assertThat(residueOf(person)).as("residue after the scrub").isFalse();
        assertThat(events.count(P, List.of("bystander"))).isEqualTo(1);
    }

    @Test
    void the_store_scrub_after_a_committed_deletion_leaves_no_residue() {
        deletePerson();

        db.scrubAfterDeletion(touched);

        assertThat(residueOf(person)).as("residue after the scrub").isFalse();
        assertThat(events.count(P, List.of("bystander"))).isEqualTo(1);
    }

    @Test
    void scrub_works_from_a_connection_outside_auto_commit_and_restores_its_mode() {
        deletePerson();

        boolean modeAfter = db.withConnection(c -> {
            c.connection().setAutoCommit(false);
            db.dialect().scrubAfterDeletion(c.connection(), touched);
            boolean mode = c.connection().getAutoCommit();
            c.connection().setAutoCommit(true);
            return mode;
        });

        assertThat(modeAfter).isFalse();
        assertThat(residueOf(person)).isFalse();
    }

    @Test
    void planner_statistics_keep_no_copy_of_the_deleted_person() {
        // why: ANALYZE samples values into the store's statistics, which a DELETE does not reach.
        db.withConnection(c -> {
            try (java.sql.Statement s = c.createStatement()) {
                s.execute("ANALYZE");
            }
            return null;
        });
        deletePerson();

        db.withConnection(c -> {
            db.dialect().scrubAfterDeletion(c.connection(), touched);
            return null;
        });

        assertThat(statisticsHold(person)).isFalse();
    }
}
