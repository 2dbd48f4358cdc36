package dev.lethe.task;

import dev.lethe.identity.LinkKind;
import dev.lethe.json.Json;
import dev.lethe.testing.StoreFixture;
import dev.lethe.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The engine's steps on a real store, driven one poll at a time. */
abstract class TaskEngineContract {

    abstract StoreFixture store();

    @TempDir
    Path tmp;
    TestServer server;
    RecordingExecutor deletions;
    TaskEngine engine;

    @BeforeEach
    void start() {
        server = TestServer.start(store(), tmp);
        deletions = new RecordingExecutor(TaskKind.DELETION, server.app.db());
        engine = Engines.over(server.app, deletions, new RecordingExecutor(TaskKind.RETRIEVAL, server.app.db()));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    Task queue(String... ids) {
        return server.app.tasks().create(new NewTask(1, TaskKind.DELETION, "GDPR", null, false, "dpo@example.com",
                List.of(ids))).task();
    }

    Task stored(Task t) {
        return server.app.tasks().byTrackingId(t.trackingId()).orElseThrow();
    }

    Duration lease() {
        return server.app.config().lease();
    }

    @Test
    void a_poll_without_work_reports_none() {
        assertThat(engine.runOnce()).isFalse();
    }

    @Test
    void a_task_is_staged_with_its_whole_person_then_started_then_succeeds() {
        server.app.links().link(1, "alice", "alice-device", LinkKind.DEVICE, 0);
        Task task = queue("alice");
        assertThat(engine.runOnce()).isTrue();
        assertThat(deletions.calls()).singleElement().satisfies(seen -> {
            assertThat(seen.status()).isEqualTo(TaskStatus.STARTED);
            assertThat(seen.personIds()).containsExactly("alice", "alice-device");
        });
        Task done = stored(task);
        assertThat(done.status()).isEqualTo(TaskStatus.SUCCESS);
        assertThat(done.counts().get("events_deleted").asInt()).isEqualTo(3);
        assertThat(done.finishedAt()).isEqualTo(server.clock.millis());
        assertThat(done.owner()).isNull();
        assertThat(engine.runOnce()).isFalse();
    }

    @Test
    void an_executor_exception_is_a_failure_with_its_message() {
        deletions.then((t, run) -> {
            throw new java.io.IOException("disk full");
        });
        Task task = queue("alice");
        engine.runOnce();
        assertThat(stored(task).status()).isEqualTo(TaskStatus.FAILURE);
        assertThat(stored(task).error()).isEqualTo("disk full");
    }

    @Test
    void a_transaction_the_store_rolled_back_leaves_the_task_to_be_resumed_after_its_lease() {
        java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
        deletions.then((t, run) -> {
            if (runs.incrementAndGet() == 1) {
                throw new dev.lethe.store.StoreException(new java.sql.SQLException("deadlock detected", "40P01"));
            }
            deletions.succeed(t, run);
        });
        Task task = queue("alice");
        engine.runOnce();
        assertThat(stored(task).status()).as("not a failure: the store broke a deadlock").isEqualTo(TaskStatus.STARTED);
        assertThat(engine.runOnce()).as("still leased").isFalse();

        server.clock.advance(lease().plusSeconds(1));
        engine.runOnce();
        assertThat(stored(task).status()).isEqualTo(TaskStatus.SUCCESS);
        assertThat(runs.get()).isEqualTo(2);
    }

    @Test
    void a_constraint_violation_is_still_a_failure() {
        deletions.then((t, run) -> {
            throw new dev.lethe.store.StoreException(new java.sql.SQLException("duplicate key", "23505"));
        });
        Task task = queue("alice");
        engine.runOnce();
        assertThat(stored(task).status()).isEqualTo(TaskStatus.FAILURE);
    }

    @Test
    void an_executor_that_returns_without_success_is_a_failure() {
        deletions.then((t, run) -> run.progress(Json.object().put("events_deleted", 1)));
        Task task = queue("alice");
        engine.runOnce();
        assertThat(stored(task).status()).isEqualTo(TaskStatus.FAILURE);
        assertThat(stored(task).error()).contains("without recording success");
        assertThat(stored(task).counts().get("events_deleted").asInt()).isEqualTo(1);
    }

    @Test
    void a_kind_without_executor_fails_naming_the_kind() {
        TaskEngine retrievalsOnly = Engines.over(server.app, new RecordingExecutor(TaskKind.RETRIEVAL, server.app.db()));
        Task task = queue("alice");
        assertThat(retrievalsOnly.runOnce()).isTrue();
        assertThat(stored(task).status()).isEqualTo(TaskStatus.FAILURE);
        assertThat(stored(task).error()).isEqualTo("no executor for DELETION");
    }

    @Test
    void an_executor_registered_under_another_kind_is_refused() {
        assertThatThrownBy(() -> new TaskEngine(new TaskClaims(server.app.db()),
                Map.of(TaskKind.RETRIEVAL, deletions), server.clock, lease(), server.app.activity(), server.app.metrics()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_revoked_task_is_never_claimed() {
        Task task = queue("alice");
        assertThat(server.app.tasks().cancel(1, TaskKind.DELETION, task.trackingId())).isEqualTo(TaskStore.CancelOutcome.REVOKED);
        assertThat(engine.runOnce()).isFalse();
        assertThat(deletions.calls()).isEmpty();
    }

    @Test
    void a_task_cancelled_while_staging_is_not_started_by_the_combined_stage_and_start() {
        TaskClaims claims = new TaskClaims(server.app.db());
        Task task = queue("alice");
        long now = server.clock.millis();
        Task staging = claims.claimNext("test-owner", now, now + lease().toMillis()).orElseThrow();
        assertThat(staging.status()).isEqualTo(TaskStatus.STAGING);
        assertThat(server.app.tasks().cancel(1, TaskKind.DELETION, task.trackingId())).isEqualTo(TaskStore.CancelOutcome.REVOKED);

        assertThat(claims.stageAndStart(staging, List.of("alice"), now, now + lease().toMillis())).isEmpty();
        assertThat(stored(task).status()).isEqualTo(TaskStatus.REVOKED);
        assertThat(stored(task).personIds()).isNull();
    }

    @Test
    void stage_and_start_records_the_person_and_starts_in_one_step() {
        TaskClaims claims = new TaskClaims(server.app.db());
        Task task = queue("alice");
        long now = server.clock.millis();
        Task staging = claims.claimNext("test-owner", now, now + lease().toMillis()).orElseThrow();

        Task started = claims.stageAndStart(staging, List.of("alice", "alice-device"), now, now + lease().toMillis()).orElseThrow();

        assertThat(started.status()).isEqualTo(TaskStatus.STARTED);
        assertThat(started.version()).isEqualTo(staging.version() + 1);
        assertThat(stored(task).personIds()).containsExactly("alice", "alice-device");
    }

    @Test
    void heartbeats_keep_the_lease_so_no_other_engine_takes_the_task() {
        TaskEngine other = Engines.over(server.app, new RecordingExecutor(TaskKind.DELETION, server.app.db()));
        deletions.then((t, run) -> {
            for (int i = 0; i < 3; i++) {
                server.clock.advance(lease().multipliedBy(2).dividedBy(3));
                run.heartbeat();
                assertThat(other.runOnce()).isFalse();
            }
            deletions.succeed(t, run);
        });
        Task task = queue("alice");
        engine.runOnce();
        assertThat(stored(task).status()).isEqualTo(TaskStatus.SUCCESS);
    }

    @Test
    void an_expired_lease_lets_another_engine_resume_and_the_old_holder_loses() {
        AtomicReference<TaskRun> stale = new AtomicReference<>();
        deletions.then((t, run) -> {
            stale.set(run);
            throw new RecordingExecutor.SimulatedCrash();
        });
        Task task = queue("alice");
        assertThatThrownBy(engine::runOnce).isInstanceOf(RecordingExecutor.SimulatedCrash.class);
        assertThat(stored(task).status()).isEqualTo(TaskStatus.STARTED);

        RecordingExecutor survivor = new RecordingExecutor(TaskKind.DELETION, server.app.db());
        TaskEngine second = Engines.over(server.app, survivor);
        assertThat(second.runOnce()).as("lease still held").isFalse();
        server.clock.advance(lease().plusMillis(1));
        assertThat(second.runOnce()).isTrue();

        assertThat(survivor.calls()).singleElement().satisfies(t -> assertThat(t.status()).isEqualTo(TaskStatus.STARTED));
        assertThat(stored(task).status()).isEqualTo(TaskStatus.SUCCESS);
        assertThat(stored(task).attempts()).isEqualTo(2);
        assertThatThrownBy(() -> stale.get().heartbeat()).isInstanceOf(LeaseLostException.class);
    }

    @Test
    void a_task_started_before_a_restart_completes_after_it() {
        deletions.then((t, run) -> {
            throw new RecordingExecutor.SimulatedCrash();
        });
        Task task = queue("alice");
        assertThatThrownBy(engine::runOnce).isInstanceOf(RecordingExecutor.SimulatedCrash.class);

        server = server.restart();
        RecordingExecutor afterRestart = new RecordingExecutor(TaskKind.DELETION, server.app.db());
        TaskEngine reopened = Engines.over(server.app, afterRestart);
        assertThat(stored(task).status()).isEqualTo(TaskStatus.STARTED);
        server.clock.advance(lease().plusSeconds(1));
        assertThat(reopened.runOnce()).isTrue();
        assertThat(stored(task).status()).isEqualTo(TaskStatus.SUCCESS);
        assertThat(afterRestart.trackingIds()).containsExactly(task.trackingId());
    }

    Task queueRetrieval(String... ids) {
        return server.app.tasks().create(new NewTask(1, TaskKind.RETRIEVAL, "GDPR", "Data", false, "dpo@example.com",
                List.of(ids))).task();
    }

    @Test
    void fresh_tasks_of_one_kind_are_claimed_and_started_together_and_what_the_group_leaves_runs_alone() {
        deletions.together(3, group -> {
            deletions.succeed(group.get(0).task(), group.get(0).run());
            return List.of(group.get(0));
        });
        Task first = queue("alice");
        Task second = queue("bob");
        Task retrieval = queueRetrieval("carol");
        Task third = queue("dana");
        Task fourth = queue("erin");

        assertThat(engine.runOnce()).isTrue();

        assertThat(deletions.groups()).singleElement().satisfies(group -> {
            assertThat(group).extracting(Task::trackingId).containsExactly(first.trackingId(), second.trackingId(),
                    third.trackingId());
            assertThat(group).extracting(Task::status).containsOnly(TaskStatus.STARTED);
        });
        assertThat(deletions.trackingIds()).as("run alone after the group").containsExactly(second.trackingId(),
                third.trackingId());
        assertThat(List.of(stored(first), stored(second), stored(third))).extracting(Task::status)
                .containsOnly(TaskStatus.SUCCESS);
        assertThat(stored(retrieval).status()).as("another kind").isEqualTo(TaskStatus.PENDING);
        assertThat(stored(fourth).status()).as("past the group's size").isEqualTo(TaskStatus.PENDING);
    }

    @Test
    void a_group_that_throws_leaves_its_unfinished_tasks_to_run_alone_and_a_finished_one_is_not_redone() {
        deletions.together(3, group -> {
            deletions.succeed(group.get(0).task(), group.get(0).run());
            throw new IllegalStateException("the group's second step failed");
        });
        Task first = queue("alice");
        Task second = queue("bob");

        assertThat(engine.runOnce()).isTrue();

        assertThat(stored(first).status()).isEqualTo(TaskStatus.SUCCESS);
        assertThat(stored(second).status()).isEqualTo(TaskStatus.SUCCESS);
        assertThat(stored(first).attempts()).isEqualTo(1);
        assertThat(engine.runOnce()).isFalse();
    }

    @Test
    void a_task_of_a_group_cancelled_after_its_person_was_resolved_stays_revoked_while_the_others_start() {
        TaskClaims claims = new TaskClaims(server.app.db());
        Task first = queue("alice");
        Task second = queue("bob");
        Task third = queue("carol");
        List<String> resolved = new ArrayList<>();

        List<Task> started = claimAndStart(claims, "test-owner", 3, task -> {
            resolved.add(task.trackingId());
            if (task.trackingId().equals(second.trackingId())) {
                // why: a cancel that lands between the read that resolved the person and the claim
                assertThat(server.app.tasks().cancel(1, TaskKind.DELETION, second.trackingId()))
                        .isEqualTo(TaskStore.CancelOutcome.REVOKED);
            }
        });

        assertThat(resolved).containsExactly(first.trackingId(), second.trackingId(), third.trackingId());
        assertThat(started).extracting(Task::trackingId).containsExactly(first.trackingId(), third.trackingId());
        assertThat(started).extracting(Task::status).containsOnly(TaskStatus.STARTED);
        assertThat(started.get(1).personIds()).containsExactly("carol");
        assertThat(started.get(0).attempts()).isEqualTo(1);
        assertThat(stored(second).status()).isEqualTo(TaskStatus.REVOKED);
        assertThat(stored(second).personIds()).isNull();
    }

    @Test
    void a_worker_polling_while_another_resolves_a_group_claims_the_tasks_after_it() {
        TaskClaims claims = new TaskClaims(server.app.db());
        Task a = queue("alice");
        Task b = queue("bob");
        Task c = queue("carol");
        Task d = queue("dana");
        List<Task> other = new ArrayList<>();

        List<Task> first = claimAndStart(claims, "worker-1", 2, task -> {
            if (task.trackingId().equals(a.trackingId())) {
                // why: a second worker of this instance polls while the first one resolves its group
                other.addAll(claimAndStart(claims, "worker-2", 2, t -> { }));
            }
        });

        assertThat(first).extracting(Task::trackingId).containsExactly(a.trackingId(), b.trackingId());
        assertThat(other).extracting(Task::trackingId).containsExactly(c.trackingId(), d.trackingId());
        assertThat(List.of(a, b, c, d)).extracting(t -> stored(t).status()).containsOnly(TaskStatus.STARTED);
        assertThat(stored(c).owner()).isEqualTo("worker-2");
    }

    @Test
    void a_worker_reaches_past_a_group_larger_than_one_look_at_the_queue() {
        TaskClaims claims = new TaskClaims(server.app.db());
        List<Task> queued = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            queued.add(queue("person-" + i));
        }
        List<Task> other = new ArrayList<>();

        List<Task> first = claimAndStart(claims, "worker-1", 10, task -> {
            if (task.trackingId().equals(queued.get(0).trackingId())) {
                other.addAll(claimAndStart(claims, "worker-2", 10, t -> { }));
            }
        });

        assertThat(first).hasSize(10);
        assertThat(other).extracting(Task::trackingId)
                .containsExactly(queued.get(10).trackingId(), queued.get(11).trackingId());
    }

    @Test
    void a_fresh_task_whose_person_cannot_be_resolved_is_claimed_alone_for_the_engine_to_stage() {
        TaskClaims claims = new TaskClaims(server.app.db());
        Task first = queue("alice");
        Task second = queue("bob");
        long now = server.clock.millis();

        List<Task> claimed = claims.claimAndStart("test-owner", now, now + lease().toMillis(), kind -> 3,
                task -> Optional.empty());

        assertThat(claimed).singleElement().satisfies(t -> {
            assertThat(t.trackingId()).isEqualTo(first.trackingId());
            assertThat(t.status()).as("claimed the classic way, to be staged by the engine").isEqualTo(TaskStatus.STAGING);
        });
        assertThat(stored(second).status()).isEqualTo(TaskStatus.PENDING);
    }

    @Test
    void a_resumed_task_is_claimed_alone() {
        deletions.then((t, run) -> {
            throw new RecordingExecutor.SimulatedCrash();
        });
        Task crashed = queue("alice");
        assertThatThrownBy(engine::runOnce).isInstanceOf(RecordingExecutor.SimulatedCrash.class);
        Task fresh = queue("bob");
        server.clock.advance(lease().plusMillis(1));
        TaskClaims claims = new TaskClaims(server.app.db());

        List<Task> claimed = claimAndStart(claims, "test-owner", 3, task -> { });

        assertThat(claimed).singleElement().satisfies(t -> {
            assertThat(t.trackingId()).isEqualTo(crashed.trackingId());
            assertThat(t.status()).isEqualTo(TaskStatus.STARTED);
        });
        assertThat(stored(fresh).status()).isEqualTo(TaskStatus.PENDING);
    }

    /**
     * {@link TaskClaims#claimAndStart} now, groups of up to {@code together}, each task's person the ids it asked
     * for; {@code onPrepare} runs as each is resolved, between the read and the claim.
     */
    private List<Task> claimAndStart(TaskClaims claims, String owner, int together, Consumer<Task> onPrepare) {
        long now = server.clock.millis();
        return claims.claimAndStart(owner, now, now + lease().toMillis(), kind -> together, task -> {
            onPrepare.accept(task);
            return Optional.of(Set.copyOf(task.distinctIds()));
        });
    }
}
