package dev.lethe.task;

import dev.lethe.json.Json;
import dev.lethe.testing.StoreFixture;
import dev.lethe.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every statement that moves a task's state, run against a row stored in each of the six states:
 * it moves the row exactly when {@link TaskStatus#canMove} allows that move, so the transition
 * table (and {@code TaskStatusTest}) guards the SQL, not a copy of it.
 */
abstract class TaskMovesContract {

    abstract StoreFixture store();

    @TempDir
    Path tmp;
    TestServer server;
    TaskClaims claims;

    @BeforeEach
    void start() {
        server = TestServer.start(store(), tmp);
        claims = new TaskClaims(server.app.db());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** A task stored in {@code status}, as read back now. */
    Task storedIn(TaskStatus status) {
        Task queued = server.app.tasks().create(new NewTask(1, TaskKind.DELETION, "GDPR", null, false, "dpo@example.com",
                List.of("person-" + status.name().toLowerCase()))).task();
        force(queued, status);
        return stored(queued);
    }

    /** Sets the stored state behind the engine's back, leaving the version as it was. */
    void force(Task task, TaskStatus status) {
        server.app.db().inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE tasks SET status = ?, lease_until = NULL WHERE id = ?")) {
                ps.setString(1, status.name());
                ps.setLong(2, task.id());
                return ps.executeUpdate();
            }
        });
    }

    Task stored(Task task) {
        return server.app.tasks().byTrackingId(task.trackingId()).orElseThrow();
    }

    long now() {
        return server.clock.millis();
    }

    @Test
    void a_creation_of_a_request_still_unfinished_returns_that_task_and_a_finished_one_no_longer_counts() {
        NewTask request = new NewTask(1, TaskKind.DELETION, "GDPR", null, false, "dpo@example.com", List.of("repeat"));
        TaskStore.Queued first = server.app.tasks().create(request);
        assertThat(first.existing()).isFalse();
        assertThat(first.task().status()).isEqualTo(TaskStatus.PENDING);
        assertThat(first.task().distinctIds()).containsExactly("repeat");

        // why: straight to the store, past the service's read that looks for it first: the unique index finds it
        TaskStore.Queued again = server.app.tasks().create(request);
        assertThat(again.existing()).isTrue();
        assertThat(again.task().id()).isEqualTo(first.task().id());

        force(first.task(), TaskStatus.SUCCESS);
        TaskStore.Queued after = server.app.tasks().create(request);
        assertThat(after.existing()).isFalse();
        assertThat(after.task().id()).isNotEqualTo(first.task().id());
    }

    @Test
    void fail_moves_exactly_the_states_that_may_move_to_failure() {
        for (TaskStatus from : TaskStatus.values()) {
            Task task = storedIn(from);
            boolean moved = claims.fail(task.id(), task.version(), "boom", now());
            assertMoved(task, from, TaskStatus.FAILURE, moved);
        }
    }

    @Test
    void cancel_moves_exactly_the_states_that_may_move_to_revoked() {
        for (TaskStatus from : TaskStatus.values()) {
            Task task = storedIn(from);
            TaskStore.CancelOutcome outcome = server.app.tasks().cancel(1, TaskKind.DELETION, task.trackingId());
            assertMoved(task, from, TaskStatus.REVOKED, outcome == TaskStore.CancelOutcome.REVOKED);
        }
    }

    @Test
    void start_moves_exactly_the_states_that_may_move_to_started_whatever_the_caller_last_saw() {
        for (TaskStatus from : TaskStatus.values()) {
            Task seenStaging = storedIn(TaskStatus.STAGING);
            // why: the worker saw STAGING; the stored row moved since (same version), so only the SQL guard decides.
            force(seenStaging, from);
            Optional<Task> started = claims.stageAndStart(seenStaging, List.of("x"), now(), now() + 60_000);
            assertMoved(seenStaging, from, TaskStatus.STARTED, started.isPresent());
        }
    }

    @Test
    void succeed_moves_exactly_the_states_that_may_move_to_success() {
        for (TaskStatus from : TaskStatus.values()) {
            Task task = storedIn(from);
            boolean moved = server.app.db().inTransaction(c ->
                    claims.succeed(c, task.id(), task.version(), task.projectId(), task.personIds(), Json.object(), null,
                            null, now()));
            assertMoved(task, from, TaskStatus.SUCCESS, moved);
        }
    }

    @Test
    void a_claim_takes_only_unfinished_tasks_and_moves_them_only_along_the_table() {
        for (TaskStatus from : TaskStatus.values()) {
            Task task = storedIn(from);
            Optional<Task> claimed = claims.claimNext("owner", now(), now() + 60_000);
            assertThat(claimed.isPresent()).as("claimed from " + from).isEqualTo(from.isActive());
            TaskStatus after = stored(task).status();
            assertThat(after == from || TaskStatus.canMove(from, after)).as(from + " -> " + after).isTrue();
            if (from == TaskStatus.PENDING) {
                assertThat(after).isEqualTo(TaskStatus.STAGING);
            }
            // why: out of the way of the next state's claim.
            force(task, TaskStatus.FAILURE);
        }
    }

    private void assertMoved(Task task, TaskStatus from, TaskStatus to, boolean reportedMoved) {
        boolean allowed = TaskStatus.canMove(from, to);
        assertThat(reportedMoved).as(from + " -> " + to + " reported").isEqualTo(allowed);
        assertThat(stored(task).status()).as(from + " -> " + to + " stored").isEqualTo(allowed ? to : from);
    }
}
