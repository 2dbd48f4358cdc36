package dev.lethe.deletion;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.identity.LinkKind;
import dev.lethe.ingest.EventIngester;
import dev.lethe.ingest.EventNormalizer;
import dev.lethe.ingest.Validation;
import dev.lethe.json.Json;
import dev.lethe.store.Database;
import dev.lethe.task.NewTask;
import dev.lethe.task.Task;
import dev.lethe.task.TaskExecutor;
import dev.lethe.task.TaskKind;
import dev.lethe.task.TaskStatus;
import dev.lethe.testing.EventBuilder;
import dev.lethe.testing.RecordingTaskRun;
import dev.lethe.testing.RowSnapshot;
import dev.lethe.testing.Seed;
import dev.lethe.testing.StoreFixture;
import dev.lethe.testing.TaskRows;
import dev.lethe.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static dev.lethe.testing.EventBuilder.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a deletion removes, what it leaves alone, and that it survives being repeated. */
abstract class DeletionContract {

    abstract StoreFixture store();

    @TempDir
    Path tmp;
    TestServer server;
    Database db;
    long project;
    long otherProject;
    Seed seed;

    @BeforeEach
    void start() {
        server = TestServer.start(store(), tmp, b -> b.deleteBatchSize(3));
        db = server.app.db();
        project = server.createProject("acme").project().id();
        otherProject = server.createProject("globex").project().id();
        seed = new Seed(server.app, project);
        seed.manyEvents("alice", 7).events(event("alice-phone").named("App Open"))
                .profile("alice", "$email", "alice@example.com").link("alice", "alice-phone", LinkKind.DEVICE);
        seed.manyEvents("bob", 5).profile("bob", "$email", "bob@example.com").link("bob", "bob-laptop", LinkKind.DEVICE);
        new Seed(server.app, otherProject).manyEvents("alice", 4).profile("alice", "plan", "pro")
                .link("alice", "alice-phone", LinkKind.DEVICE);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    Task run(TaskRows rows) {
        Task task = rows.insert(server.app);
        server.app.deletionExecutor().run(task, new RecordingTaskRun(db, task, server.clock));
        return TaskRows.load(db, task.id());
    }

    /** Events, profiles and link rows (one per direction) of these ids. */
    long remaining(long projectId, List<String> ids) {
        return db.withConnection(c -> server.app.events().count(c, projectId, ids)
                + server.app.profiles().count(c, projectId, ids) + server.app.links().countLinks(c, projectId, ids));
    }

    @Test
    void deletion_removes_the_person_and_leaves_everyone_else_byte_for_byte() {
        List<String> before = RowSnapshot.othersThan(db, project, Set.of("alice", "alice-phone"));

        Task done = run(TaskRows.deletion(project, "alice"));

        assertThat(done.status()).isEqualTo(TaskStatus.SUCCESS);
        assertThat(remaining(project, List.of("alice", "alice-phone"))).isZero();
        assertThat(RowSnapshot.othersThan(db, project, Set.of("alice", "alice-phone"))).isEqualTo(before);
        assertThat(remaining(otherProject, List.of("alice"))).isEqualTo(4 + 1 + 1);
    }

    @Test
    void a_person_linked_by_alias_and_device_id_is_deleted_whole() {
        seed.link("alice@example.com", "alice", LinkKind.ALIAS)
                .link("alice-phone", "anon-77", LinkKind.IDENTIFY)
                .events(event("alice@example.com").named("Signup"), event("anon-77").named("Landing"))
                .profile("anon-77", "utm_source", "newsletter");
        List<String> person = List.of("alice", "alice-phone", "alice@example.com", "anon-77");

        Task done = run(TaskRows.deletion(project, "alice@example.com"));

        assertThat(done.status()).isEqualTo(TaskStatus.SUCCESS);
        assertThat(remaining(project, person)).isZero();
        assertThat(remaining(project, List.of("bob", "bob-laptop"))).isEqualTo(5 + 1 + 2);
        // why: the requester learns which kind of link brought in the ids they did not name.
        // alice@example.com requested; alice by alias; alice-phone by device; anon-77 by $identify.
        assertThat(done.counts().get("ids_by_link").toString())
                .isEqualTo("{\"alias\":1,\"device\":1,\"identify\":1,\"requested\":1}");
    }

    @Test
    void counts_are_recorded_and_progress_is_reported_between_batches() {
        Task task = TaskRows.deletion(project, "alice").insert(server.app);
        RecordingTaskRun taskRun = new RecordingTaskRun(db, task, server.clock);

        server.app.deletionExecutor().run(task, taskRun);

        ObjectNode counts = TaskRows.load(db, task.id()).counts();
        assertThat(counts.get("events_deleted").asLong()).isEqualTo(8);
        assertThat(counts.get("profiles_deleted").asLong()).isEqualTo(1);
        assertThat(counts.get("links_deleted").asLong()).isEqualTo(1);
        assertThat(counts.get("archives_deleted").asLong()).isZero();
        assertThat(counts.get("ids_deleted").asLong()).isEqualTo(2);
        // batches of 3: 3, 6, 8 events, then the pass itself.
        assertThat(taskRun.progress()).extracting(p -> p.get("events_deleted").asLong()).containsExactly(3L, 6L, 8L, 8L);
    }

    @Test
    void a_person_within_one_batch_is_erased_by_the_final_step_alone() {
        seed.manyEvents("carol", 2).profile("carol", "$email", "carol@example.com").link("carol", "carol-phone", LinkKind.DEVICE);
        Task task = TaskRows.deletion(project, "carol").insert(server.app);
        RecordingTaskRun taskRun = new RecordingTaskRun(db, task, server.clock);

        server.app.deletionExecutor().run(task, taskRun);

        Task done = TaskRows.load(db, task.id());
        assertThat(done.status()).isEqualTo(TaskStatus.SUCCESS);
        assertThat(done.counts().get("events_deleted").asLong()).isEqualTo(2);
        assertThat(done.counts().get("profiles_deleted").asLong()).isEqualTo(1);
        assertThat(done.counts().get("ids_deleted").asLong()).isEqualTo(2);
        assertThat(remaining(project, List.of("carol", "carol-phone"))).isZero();
        // why: no batched pass ran, so no progress was reported between batches.
        assertThat(taskRun.progress()).isEmpty();
        assertThat(remaining(project, List.of("alice", "alice-phone"))).isEqualTo(8 + 1 + 2);
    }

    @Test
    void suppression_is_written_for_every_id_of_the_person_when_requested() {
        run(TaskRows.deletion(project, "alice").suppress(true));

        assertThat(server.app.suppressions().suppressedAmong(project, List.of("alice", "alice-phone", "bob")))
                .containsExactlyInAnyOrder("alice", "alice-phone");
        assertThat(server.app.suppressions().suppressedAmong(otherProject, List.of("alice"))).isEmpty();
    }

    @Test
    void no_suppression_is_written_unless_requested() {
        run(TaskRows.deletion(project, "alice"));

        assertThat(server.app.suppressions().suppressedAmong(project, List.of("alice", "alice-phone"))).isEmpty();
    }

    @Test
    void a_second_deletion_of_the_same_person_succeeds_with_nothing_to_delete() {
        run(TaskRows.deletion(project, "alice"));
        List<String> others = RowSnapshot.othersThan(db, project, Set.of("alice", "alice-phone"));

        Task again = run(TaskRows.deletion(project, "alice", "alice-phone"));

        assertThat(again.status()).isEqualTo(TaskStatus.SUCCESS);
        assertThat(again.counts().get("events_deleted").asLong()).isZero();
        assertThat(RowSnapshot.othersThan(db, project, Set.of("alice", "alice-phone"))).isEqualTo(others);
    }

    @Test
    void a_run_that_crashed_half_way_is_finished_by_the_rerun() {
        seed.manyEvents("alice", 12);
        Task task = TaskRows.deletion(project, "alice").insert(server.app);

        assertThatThrownBy(() -> server.app.deletionExecutor().run(task,
                new RecordingTaskRun(db, task, server.clock).crashAtProgress(2)))
                .isInstanceOf(RecordingTaskRun.SimulatedCrash.class);
        assertThat(TaskRows.load(db, task.id()).status()).isEqualTo(TaskStatus.STARTED);
        assertThat(server.app.events().count(project, List.of("alice", "alice-phone"))).isEqualTo(20 - 6);

        Task resumed = TaskRows.load(db, task.id());
        server.app.deletionExecutor().run(resumed, new RecordingTaskRun(db, resumed, server.clock));

        Task done = TaskRows.load(db, task.id());
        assertThat(done.status()).isEqualTo(TaskStatus.SUCCESS);
        assertThat(remaining(project, List.of("alice", "alice-phone"))).isZero();
        assertThat(done.counts().get("events_deleted").asLong()).isEqualTo(20);
        assertThat(remaining(project, List.of("bob", "bob-laptop"))).isEqualTo(5 + 1 + 2);
    }

    @Test
    void a_run_that_crashed_after_destroying_the_keys_is_finished_by_the_rerun() {
        Task task = TaskRows.deletion(project, "alice").insert(server.app);
        List<byte[]> keys = List.of(db.keys().person(project, "alice"), db.keys().person(project, "alice-phone"));
        assertThat(db.keystore().count(project, keys)).isEqualTo(2);

        // why: the keys go after the final transaction and before the one that records SUCCESS (DeletionExecutor.finish)
        assertThatThrownBy(() -> server.app.deletionExecutor().run(task,
                new RecordingTaskRun(db, task, server.clock).crashAtSuccess()))
                .isInstanceOf(RecordingTaskRun.SimulatedCrash.class);
        assertThat(TaskRows.load(db, task.id()).status()).isEqualTo(TaskStatus.STARTED);
        assertThat(remaining(project, List.of("alice", "alice-phone"))).isZero();
        assertThat(db.keystore().count(project, keys)).as("the keys are gone before SUCCESS").isZero();
        // why: a failed run lifts its hold, so this event is stored, under a key made for it
        server.app.eventIngester().ingest(List.of(track("alice", "between-1")), "track",
                dev.lethe.ingest.Credential.PROJECT_TOKEN);
        assertThat(server.app.events().count(project, List.of("alice"))).isEqualTo(1);

        Task resumed = TaskRows.load(db, task.id());
        server.app.deletionExecutor().run(resumed, new RecordingTaskRun(db, resumed, server.clock));

        Task done = TaskRows.load(db, task.id());
        assertThat(done.status()).isEqualTo(TaskStatus.SUCCESS);
        assertThat(remaining(project, List.of("alice", "alice-phone"))).as("what arrived in between goes too").isZero();
        assertThat(db.keystore().count(project, keys)).isZero();
        assertThat(remaining(project, List.of("bob", "bob-laptop"))).isEqualTo(5 + 1 + 2);
    }

    @Test
    void events_and_links_arriving_during_the_run_are_gone_at_success() {
        Task task = TaskRows.deletion(project, "alice").insert(server.app);
        RecordingTaskRun taskRun = new RecordingTaskRun(db, task, server.clock).onProgress(counts -> {
            if (counts.get("events_deleted").asLong() == 3) {
                seed.events(EventBuilder.event("alice").named("Late"), EventBuilder.event("alice-tablet").named("Late"))
                        .link("alice-tablet", "alice-phone", LinkKind.DEVICE)
                        .profile("alice-tablet", "$name", "Alice");
            }
        });

        server.app.deletionExecutor().run(task, taskRun);

        assertThat(TaskRows.load(db, task.id()).status()).isEqualTo(TaskStatus.SUCCESS);
        assertThat(remaining(project, List.of("alice", "alice-phone", "alice-tablet"))).isZero();
        assertThat(TaskRows.load(db, task.id()).counts().get("events_deleted").asLong()).isEqualTo(10);
    }

    @Test
    void events_of_the_person_ingested_during_the_run_are_dropped_and_counted() {
        Task task = TaskRows.deletion(project, "alice").insert(server.app);
        RecordingTaskRun taskRun = new RecordingTaskRun(db, task, server.clock).onProgress(counts -> {
            if (counts.get("events_deleted").asLong() == 3) {
                EventIngester.Outcome outcome = server.app.eventIngester().ingest(List.of(
                        track("alice", "late-1"), track("alice-phone", "late-2"), track("bob", "bob-late")), "track",
                        dev.lethe.ingest.Credential.PROJECT_TOKEN);
                assertThat(outcome.dropped()).isEqualTo(2);
            }
        });

        server.app.deletionExecutor().run(task, taskRun);

        Task done = TaskRows.load(db, task.id());
        assertThat(done.status()).isEqualTo(TaskStatus.SUCCESS);
        assertThat(done.counts().get("events_dropped_during_deletion").asLong()).isEqualTo(2);
        assertThat(remaining(project, List.of("alice", "alice-phone"))).isZero();
        assertThat(remaining(project, List.of("bob", "bob-laptop"))).as("bob's late event is stored").isEqualTo(5 + 1 + 1 + 2);
    }

    Task queued(String... ids) {
        return server.app.tasks().create(new NewTask(project, TaskKind.DELETION, "GDPR", null, false, "dpo@example.com",
                List.of(ids))).task();
    }

    Task stored(Task task) {
        return TaskRows.load(db, task.id());
    }

    @Test
    void small_deletions_queued_together_share_one_key_destruction_and_each_records_its_own_counts() {
        seed.manyEvents("dana", 2).manyEvents("erin", 1).profile("erin", "$email", "erin@example.com")
                .manyEvents("frank", 2).events(event("frank-phone").named("App Open")).link("frank", "frank-phone", LinkKind.DEVICE);
        List<String> before = RowSnapshot.othersThan(db, project, Set.of("dana", "erin", "frank", "frank-phone"));
        Task dana = queued("dana");
        Task erin = queued("erin");
        Task frank = queued("frank");
        long destructions = db.keystore().destructions(project);

        assertThat(server.app.engine().runOnce()).isTrue();

        assertThat(db.keystore().destructions(project)).as("one destruction for the three people").isEqualTo(destructions + 1);
        assertThat(List.of(stored(dana), stored(erin), stored(frank))).allSatisfy(t ->
                assertThat(t.status()).isEqualTo(TaskStatus.SUCCESS));
        assertThat(stored(dana).counts().get("events_deleted").asLong()).isEqualTo(2);
        assertThat(stored(erin).counts().get("events_deleted").asLong()).isEqualTo(1);
        assertThat(stored(erin).counts().get("profiles_deleted").asLong()).isEqualTo(1);
        assertThat(stored(frank).counts().get("events_deleted").asLong()).isEqualTo(3);
        assertThat(stored(frank).counts().get("ids_deleted").asLong()).isEqualTo(2);
        assertThat(stored(frank).counts().get("ids_by_link").toString()).isEqualTo("{\"device\":1,\"requested\":1}");
        assertThat(remaining(project, List.of("dana", "erin", "frank", "frank-phone"))).isZero();
        assertThat(db.keystore().count(project, List.of(db.keys().person(project, "dana"), db.keys().person(project, "erin"),
                db.keys().person(project, "frank"), db.keys().person(project, "frank-phone")))).isZero();
        assertThat(RowSnapshot.othersThan(db, project, Set.of("dana", "erin", "frank", "frank-phone"))).isEqualTo(before);
        for (Task t : List.of(dana, erin, frank)) {
            assertThat(new ErasureSteps(db).of(t.id())).as("the certificate's steps of each")
                    .extracting(ErasureSteps.Step::outcome).isNotEmpty().containsOnly(ErasureSteps.DONE);
        }
        assertThat(server.app.suppressions().suppressedAmong(project, List.of("dana", "erin", "frank", "frank-phone")))
                .as("each hold lifted at SUCCESS").isEmpty();
        assertThat(server.app.engine().runOnce()).isFalse();
    }

    @Test
    void a_group_whose_check_finds_a_row_left_runs_its_people_one_by_one_and_only_that_persons_deletion_fails() {
        seed.manyEvents("dana", 2).manyEvents("erin", 1).profile("erin", "$email", "erin@example.com").manyEvents("frank", 2);
        keepProfileRowsOf("erin");
        Task dana = queued("dana");
        Task erin = queued("erin");
        Task frank = queued("frank");

        assertThat(server.app.engine().runOnce()).isTrue();

        assertThat(stored(dana).status()).isEqualTo(TaskStatus.SUCCESS);
        assertThat(stored(frank).status()).isEqualTo(TaskStatus.SUCCESS);
        assertThat(stored(erin).status()).isNotEqualTo(TaskStatus.SUCCESS);
        assertThat(remaining(project, List.of("dana", "frank"))).isZero();
        long kept = db.withConnection(c -> server.app.profiles().count(c, project, List.of("erin")));
        assertThat(kept).as("the row the store kept").isEqualTo(1);
    }

    /** A trigger that silently keeps the profile rows of {@code id} on DELETE: a row an erasure believes gone, but is not. */
    private void keepProfileRowsOf(String id) {
        String key = java.util.HexFormat.of().formatHex(db.keys().person(project, id));
        db.inTransaction(tx -> {
            List<String> ddl = db.kind() == dev.lethe.store.StoreKind.POSTGRES
                    ? List.of("CREATE FUNCTION keep_row() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$",
                    "CREATE TRIGGER keep_profile BEFORE DELETE ON profiles FOR EACH ROW WHEN (OLD.person_key = '\\x" + key
                            + "'::bytea) EXECUTE FUNCTION keep_row()")
                    : List.of("CREATE TRIGGER keep_profile BEFORE DELETE ON profiles WHEN old.person_key = X'" + key
                    + "' BEGIN SELECT RAISE(IGNORE); END");
            for (String sql : ddl) {
                try (var ps = tx.prepareStatement(sql)) {
                    ps.execute();
                }
            }
            return null;
        });
    }

    @Test
    void a_deletion_of_more_than_a_batch_queued_with_others_runs_alone_through_its_batches() {
        seed.manyEvents("dana", 2);
        Task alice = queued("alice");
        Task dana = queued("dana");
        long destructions = db.keystore().destructions(project);

        assertThat(server.app.engine().runOnce()).isTrue();

        assertThat(stored(alice).status()).isEqualTo(TaskStatus.SUCCESS);
        assertThat(stored(alice).counts().get("events_deleted").asLong()).isEqualTo(8);
        assertThat(stored(alice).counts().get("ids_deleted").asLong()).isEqualTo(2);
        assertThat(stored(dana).status()).isEqualTo(TaskStatus.SUCCESS);
        assertThat(stored(dana).counts().get("events_deleted").asLong()).isEqualTo(2);
        assertThat(db.keystore().destructions(project)).isEqualTo(destructions + 2);
        assertThat(remaining(project, List.of("alice", "alice-phone", "dana"))).isZero();
        assertThat(remaining(project, List.of("bob", "bob-laptop"))).isEqualTo(5 + 1 + 2);
    }

    @Test
    void two_deletions_of_one_person_queued_together_both_succeed_and_count_each_event_once() {
        seed.manyEvents("frank", 2).events(event("frank-phone").named("App Open")).link("frank", "frank-phone", LinkKind.DEVICE);
        Task byUser = queued("frank");
        Task byDevice = queued("frank-phone");

        assertThat(server.app.engine().runOnce()).isTrue();

        assertThat(stored(byUser).status()).isEqualTo(TaskStatus.SUCCESS);
        assertThat(stored(byDevice).status()).isEqualTo(TaskStatus.SUCCESS);
        assertThat(stored(byUser).counts().get("events_deleted").asLong()
                + stored(byDevice).counts().get("events_deleted").asLong()).isEqualTo(3);
        assertThat(remaining(project, List.of("frank", "frank-phone"))).isZero();
        assertThat(server.app.suppressions().suppressedAmong(project, List.of("frank", "frank-phone"))).isEmpty();
    }

    @Test
    void a_group_of_several_transactions_keeps_its_leases_and_leaves_a_task_it_lost_to_its_new_holder() {
        seed.manyEvents("dana", 2).manyEvents("erin", 2).manyEvents("gus", 2);
        // why: every reading of this clock is ten seconds on, so each of the group's transactions outlasts a third
        // of the 30 s lease; with batches of 3, the three people of 2 events each need a transaction apiece
        Clock slow = server.clock.advancingBy(Duration.ofSeconds(10));
        DeletionExecutor executor = new DeletionExecutor(db, server.app.resolver(), new PersonEraser(db, server.app.events(),
                server.app.profiles(), server.app.links(), server.app.archivePurger()), server.app.suppressions(), 3, slow,
                server.app.events(), server.app.projects(), new ErasureSteps(db), Duration.ofSeconds(30));
        List<Task> tasks = List.of(TaskRows.deletion(project, "dana").insert(server.app),
                TaskRows.deletion(project, "erin").insert(server.app), TaskRows.deletion(project, "gus").insert(server.app));
        List<RecordingTaskRun> runs = List.of(new RecordingTaskRun(db, tasks.get(0), server.clock),
                new RecordingTaskRun(db, tasks.get(1), server.clock),
                new RecordingTaskRun(db, tasks.get(2), server.clock).loseLeaseAtHeartbeat());

        List<TaskExecutor.Started> done = executor.runTogether(List.of(new TaskExecutor.Started(tasks.get(0), runs.get(0)),
                new TaskExecutor.Started(tasks.get(1), runs.get(1)), new TaskExecutor.Started(tasks.get(2), runs.get(2))));

        assertThat(done).extracting(d -> d.task().id()).containsExactly(tasks.get(0).id(), tasks.get(1).id());
        assertThat(runs.get(0).heartbeats()).as("between the transactions").isGreaterThanOrEqualTo(2);
        assertThat(runs.get(2).heartbeats()).isEqualTo(1);
        assertThat(stored(tasks.get(0)).status()).isEqualTo(TaskStatus.SUCCESS);
        assertThat(stored(tasks.get(1)).status()).isEqualTo(TaskStatus.SUCCESS);
        assertThat(stored(tasks.get(2)).status()).as("its new holder finishes it").isEqualTo(TaskStatus.STARTED);
        assertThat(remaining(project, List.of("dana", "erin"))).isZero();
        assertThat(remaining(project, List.of("gus"))).as("left to the new holder").isEqualTo(2);
    }

    private EventIngester.Routed track(String distinctId, String insertId) {
        ObjectNode record = Json.object().put("event", "Late");
        record.putObject("properties").put("distinct_id", distinctId).put("time", 1_790_000_000L).put("$insert_id", insertId);
        return new EventIngester.Routed(project, EventNormalizer.normalize(record, Validation.IMPORT, server.clock.millis()));
    }
}
