package dev.lethe.task;

import dev.lethe.testing.RaceBias;
import dev.lethe.testing.StoreFixture;
import dev.lethe.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cancel against the worker's move to STARTED, and workers running on their own threads. The race
 * is steered ({@link RaceBias}) so that both the cancel and the start win trials, and the test
 * fails unless both did: a race that one side always wins checks only half of the outcomes.
 */
abstract class CancelRaceContract {

    private static final int TRIALS = 300;

    abstract StoreFixture store();

    @TempDir
    Path tmp;
    TestServer server;
    ExecutorService threads;

    @BeforeEach
    void start() {
        server = TestServer.start(store(), tmp);
        threads = Executors.newFixedThreadPool(2);
    }

    @AfterEach
    void stop() {
        threads.shutdownNow();
        server.close();
    }

    @Test
    void cancel_and_start_race_and_exactly_one_wins_every_time_and_each_wins_some() throws Exception {
        RecordingExecutor executor = new RecordingExecutor(TaskKind.DELETION, server.app.db());
        TaskEngine engine = Engines.over(server.app, executor);
        TaskStore tasks = server.app.tasks();
        RaceBias bias = new RaceBias(0.5, Duration.ofNanos(50_000), Duration.ofMillis(20));
        int revoked = 0;
        for (int i = 0; i < TRIALS; i++) {
            Task task = tasks.create(new NewTask(1, TaskKind.DELETION, "GDPR", null, false, "dpo@example.com",
                    List.of("person-" + i))).task();
            CountDownLatch go = new CountDownLatch(1);
            CompletableFuture<TaskStore.CancelOutcome> cancel = CompletableFuture.supplyAsync(() -> {
                await(go);
                bias.beforeFirst();
                return tasks.cancel(1, TaskKind.DELETION, task.trackingId());
            }, threads);
            CompletableFuture<Boolean> work = CompletableFuture.supplyAsync(() -> {
                await(go);
                bias.beforeSecond();
                return engine.runOnce();
            }, threads);
            go.countDown();
            TaskStore.CancelOutcome outcome = cancel.get(30, TimeUnit.SECONDS);
            work.get(30, TimeUnit.SECONDS);

            TaskStatus end = tasks.byTrackingId(task.trackingId()).orElseThrow().status();
            boolean executed = executor.trackingIds().contains(task.trackingId());
            bias.record(outcome == TaskStore.CancelOutcome.REVOKED);
            if (outcome == TaskStore.CancelOutcome.REVOKED) {
                revoked++;
                assertThat(end).as("trial %d", i).isEqualTo(TaskStatus.REVOKED);
                assertThat(executed).as("a REVOKED task reached the executor in trial %d", i).isFalse();
            } else {
                assertThat(outcome).as("trial %d", i).isEqualTo(TaskStore.CancelOutcome.NOT_CANCELLABLE);
                assertThat(end).as("trial %d", i).isEqualTo(TaskStatus.SUCCESS);
                assertThat(executed).as("trial %d", i).isTrue();
            }
        }
        assertThat(executor.calls()).hasSize(TRIALS - revoked);
        assertThat(revoked).as("trials the cancel won").isPositive();
        assertThat(TRIALS - revoked).as("trials the worker's start won").isPositive();
    }

    @Test
    void workers_pick_up_queued_tasks_on_their_own() throws Exception {
        CountDownLatch ran = new CountDownLatch(3);
        RecordingExecutor executor = new RecordingExecutor(TaskKind.DELETION, server.app.db());
        executor.then((t, run) -> {
            executor.succeed(t, run);
            ran.countDown();
        });
        TaskWorkers workers = TaskWorkers.start(Engines.over(server.app, executor), 2, Duration.ofMillis(5));
        List<Task> queued = List.of("a", "b", "c").stream().map(id -> server.app.tasks().create(new NewTask(1,
                TaskKind.DELETION, "GDPR", null, false, "dpo@example.com", List.of(id))).task()).toList();
        assertThat(ran.await(60, TimeUnit.SECONDS)).isTrue();
        workers.close();
        for (Task t : queued) {
            assertThat(server.app.tasks().byTrackingId(t.trackingId()).orElseThrow().status()).isEqualTo(TaskStatus.SUCCESS);
        }
        assertThat(executor.calls()).hasSize(3);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
