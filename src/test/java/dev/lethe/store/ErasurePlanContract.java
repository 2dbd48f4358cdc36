package dev.lethe.store;

import dev.lethe.event.EventStore;
import dev.lethe.testing.QueryPlan;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Erasure's statements that must follow the person, not the project: lifting a deletion's holds
 * ({@code SuppressionStore.release}) finds them by task, and erasing a person's links
 * ({@code IdentityStore.deleteAll}) finds the rows naming their ids on either side, each through an index, and a
 * final transaction deletes a person's events ({@code EventStore.deleteAll}) in one pass of the person index.
 */
abstract class ErasurePlanContract extends StoreContract {

    static final String RELEASE = "DELETE FROM suppressions WHERE project_id = 1 AND task_id = 42";
    /** {@code IdentityStore.deleteAll}'s two statements with one id; the literal stands for a person key on both stores. */
    static final List<String> LINKS = List.of("DELETE FROM identity_links WHERE project_id = 1 AND key_a IN ('k1')",
            "DELETE FROM identity_links WHERE project_id = 1 AND key_b IN ('k1')");

    /** The plan lines of {@code sql}, with the backend told to prefer any usable index. */
    private List<String> plan(String sql) {
        return plan(sql, QueryPlan.Params.NONE);
    }

    private List<String> plan(String sql, QueryPlan.Params params) {
        return db.withConnection(c -> QueryPlan.of(c.connection()::prepareStatement, sql, params, true));
    }

    /** The plan of an events statement binding the project, one person key, then {@code limit} if not null. */
    private List<String> planForOnePerson(String sql, Integer limit) {
        return plan(sql, ps -> {
            ps.setLong(1, 1);
            ps.setBytes(2, new byte[] {1, 2, 3});
            if (limit != null) {
                ps.setInt(3, limit);
            }
        });
    }

    @Test
    void releasing_a_tasks_holds_searches_the_task_index() {
        List<String> plan = plan(RELEASE);
        assertThat(plan).as("plan %s", plan).anyMatch(line -> line.contains("suppressions_task"));
    }

    @Test
    void erasing_a_persons_events_reads_them_once_through_the_person_index() {
        List<String> plan = planForOnePerson(EventStore.deleteAllSql(1), null);
        // why: a batch's LIMIT needs a subquery, which PostgreSQL ran as a hash join of two scans of every partition
        assertThat(plan).as("plan %s", plan)
                .anyMatch(line -> line.contains("events_dedupe") || line.contains("person_key"))
                .noneMatch(line -> line.contains("Seq Scan") || line.startsWith("SCAN"))
                .noneMatch(line -> line.contains("Hash") || line.contains("subquery") || line.contains("SUBQUERY"));
    }

    @Test
    void a_batch_of_a_persons_events_ends_where_the_person_index_says_and_is_deleted_by_a_range_of_it() {
        List<String> end = planForOnePerson(EventStore.BATCH_END_SQL, 199);
        // why: read in the index's order, the batch's end costs what the batch holds; a sort needs every event left
        assertThat(end).as("plan %s", end)
                .anyMatch(line -> line.contains("events_dedupe") || line.contains("person_key"))
                .noneMatch(line -> line.contains("Seq Scan") || line.startsWith("SCAN") || line.contains("Sort")
                        || line.contains("TEMP B-TREE"));
        List<String> delete = plan(EventStore.DELETE_UP_TO_SQL, ps -> {
            ps.setLong(1, 1);
            ps.setBytes(2, new byte[] {1, 2, 3});
            ps.setLong(3, 5);
            ps.setLong(4, 5);
            ps.setBytes(5, new byte[] {4, 5, 6});
        });
        // why: a DELETE naming the batch's rows through a subquery found each one a second time, and on PostgreSQL pruned
        // the partitions for each (~100 ms a batch of 1,000 in lethe bench)
        assertThat(delete).as("plan %s", delete)
                .anyMatch(line -> line.matches(".*time_ms ?<.*"))
                .noneMatch(line -> line.contains("Seq Scan") || line.startsWith("SCAN") || line.contains("Hash")
                        || line.contains("subquery") || line.contains("SUBQUERY"));
    }

    /** Whether a person fits one batch reads at most a batch of the person index, whatever the person holds. */
    @Test
    void a_capped_count_of_a_persons_events_stops_at_its_cap_in_the_person_index() {
        List<String> plan = planForOnePerson(EventStore.countUpToSql(1), 5001);
        assertThat(plan).as("plan %s", plan)
                .anyMatch(line -> line.contains("events_dedupe") || line.contains("person_key"))
                .anyMatch(line -> line.contains("Limit") || line.contains("CO-ROUTINE") || line.contains("SUBQUERY")
                        || line.contains("SEARCH"))
                .noneMatch(line -> line.contains("Seq Scan") || line.startsWith("SCAN events") || line.contains("Sort"));
    }

    @Test
    void erasing_a_persons_links_searches_both_sides_through_indexes() {
        List<String> byFirst = plan(LINKS.get(0));
        assertThat(byFirst).as("plan %s", byFirst).anyMatch(line -> line.contains("pkey") || line.contains("autoindex"))
                .anyMatch(line -> line.contains("key_a"))
                .noneMatch(line -> line.contains("Seq Scan") || line.startsWith("SCAN"));
        List<String> bySecond = plan(LINKS.get(1));
        assertThat(bySecond).as("plan %s", bySecond).anyMatch(line -> line.contains("identity_links_by_second_key"))
                .anyMatch(line -> line.contains("key_b"))
                .noneMatch(line -> line.contains("Seq Scan") || line.startsWith("SCAN"));
    }
}
