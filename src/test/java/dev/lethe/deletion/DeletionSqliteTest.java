package dev.lethe.deletion;

import dev.lethe.task.Task;
import dev.lethe.task.TaskExecutor;
import dev.lethe.task.TaskStatus;
import dev.lethe.testing.RecordingTaskRun;
import dev.lethe.testing.StoreFixture;
import dev.lethe.testing.TaskRows;
import dev.lethe.testing.WriterTurns;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class DeletionSqliteTest extends DeletionContract {
    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }

    @Test
    void a_group_commits_the_people_it_erased_when_a_request_waits_for_the_store_and_erases_the_rest_after_it()
            throws Exception {
        // why: one event each, so with batches of 3 both share one final transaction
        seed.manyEvents("dana", 1).manyEvents("erin", 1);
        ExecutorService requests = Executors.newSingleThreadExecutor();
        AtomicReference<Future<long[]>> request = new AtomicReference<>();
        // why: the first time the group's final transaction reads the clock (for dana's hold), a request's write
        // queues for the store, and the transaction goes on only once it waits there
        Clock clock = server.clock.runningAtEachReading(() -> {
            if (request.get() == null && inFinalTransaction()) {
                request.set(requests.submit(() -> db.inTransaction(tx -> new long[]{
                        server.app.events().count(tx, project, List.of("dana")),
                        server.app.events().count(tx, project, List.of("erin"))})));
                awaitQueued(requests);
            }
        });
        DeletionExecutor executor = new DeletionExecutor(db, server.app.resolver(), new PersonEraser(db, server.app.events(),
                server.app.profiles(), server.app.links(), server.app.archivePurger()), server.app.suppressions(), 3, clock,
                server.app.events(), server.app.projects(), new ErasureSteps(db), Duration.ofSeconds(30));
        List<Task> tasks = List.of(TaskRows.deletion(project, "dana").insert(server.app),
                TaskRows.deletion(project, "erin").insert(server.app));
        try {
            List<TaskExecutor.Started> done = executor.runTogether(List.of(
                    new TaskExecutor.Started(tasks.get(0), new RecordingTaskRun(db, tasks.get(0), server.clock)),
                    new TaskExecutor.Started(tasks.get(1), new RecordingTaskRun(db, tasks.get(1), server.clock))));

            assertThat(done).hasSize(2);
            assertThat(request.get()).as("a request queued during the final transaction").isNotNull();
            assertThat(request.get().get(10, TimeUnit.SECONDS)).as("dana's and erin's events when the request wrote")
                    .containsExactly(0, 1);
        } finally {
            requests.shutdownNow();
        }
        assertThat(TaskRows.load(db, tasks.get(0).id()).status()).isEqualTo(TaskStatus.SUCCESS);
        assertThat(TaskRows.load(db, tasks.get(1).id()).status()).isEqualTo(TaskStatus.SUCCESS);
        assertThat(remaining(project, List.of("dana", "erin"))).isZero();
    }

    @Test
    void a_batch_of_a_large_persons_events_commits_early_when_a_request_waits_for_the_store_and_the_rest_follows()
            throws Exception {
        seed.manyEvents("hank", 7);
        PersonEraser eraser = new PersonEraser(db, server.app.events(), server.app.profiles(), server.app.links(),
                server.app.archivePurger());
        ExecutorService requests = Executors.newSingleThreadExecutor();
        AtomicReference<Future<Long>> request = new AtomicReference<>();
        // why: after the first slice of the first batch, a request's write queues for the store
        PersonEraser.EventStep step = (tx, projectId, ids, limit, counts) -> {
            int n = eraser.deleting().apply(tx, projectId, ids, limit, counts);
            if (request.get() == null) {
                request.set(requests.submit(() -> db.inTransaction(t -> server.app.events().count(t, project, List.of("hank")))));
                awaitQueued(requests);
            }
            return n;
        };
        DeletionCounts counts = DeletionCounts.resumedFrom(null);
        try {
            eraser.eraseEventsInBatches(project, List.of("hank"), 3, counts, () -> {
            }, step);

            assertThat(request.get().get(10, TimeUnit.SECONDS)).as("hank's events when the request wrote: one slice gone")
                    .isEqualTo(6);
        } finally {
            requests.shutdownNow();
        }
        assertThat(server.app.events().count(project, List.of("hank"))).isZero();
        assertThat(counts.json().get("events_deleted").asLong()).isEqualTo(7);
    }

    private static boolean inFinalTransaction() {
        return StackWalker.getInstance().walk(frames -> frames.anyMatch(f -> f.getMethodName().equals("eraseUnderHold")));
    }

    /** Waits (bounded) until the single thread of {@code requests} is parked in the store's writer queue. */
    private static void awaitQueued(ExecutorService requests) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (WriterTurns.anyQueued()) {
                return;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("the request never queued for the store");
    }
}
