package dev.lethe.retrieval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.store.Tx;
import dev.lethe.task.Task;
import dev.lethe.task.TaskRun;
import dev.lethe.task.TaskStatus;
import dev.lethe.testing.RecordingTaskRun;
import dev.lethe.testing.Seed;
import dev.lethe.testing.StoreFixture;
import dev.lethe.testing.TaskRows;
import dev.lethe.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static dev.lethe.testing.EventBuilder.event;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A deletion of the person reaching its final step while a retrieval of the same person is
 * in its own final transaction (checked for finished deletions, archive recorded, not yet
 * committed). The deletion must wait for it, then sweep the archive the retrieval published:
 * if both could commit, the archive would outlive the deletion that should have removed it.
 */
abstract class RetrievalDeletionRaceContract {

    abstract StoreFixture store();

    /**
     * Returns once the deletion is held back by the retrieval's open final transaction; fails
     * if the deletion finishes instead. {@code deleter} is the deletion's thread, null until it runs.
     */
    abstract void awaitHeldBack(TestServer server, Future<?> deletion, Supplier<Thread> deleter) throws Exception;

    @TempDir
    Path tmp;
    TestServer server;
    long project;
    ExecutorService threads;

    @BeforeEach
    void start() {
        server = TestServer.start(store(), tmp);
        project = server.createProject("acme").project().id();
        threads = Executors.newFixedThreadPool(2);
    }

    @AfterEach
    void stop() {
        threads.shutdownNow();
        server.close();
    }

    @Test
    void a_deletion_finishing_during_a_retrievals_final_step_waits_and_then_purges_its_archive() throws Exception {
        Seed seed = new Seed(server.app, project).manyEvents("alice", 20);
        seed.events(event("bob").named("Signup"));
        Task retrieval = TaskRows.retrieval(project, "alice").insert(server.app);
        Task deletion = TaskRows.deletion(project, "alice").insert(server.app);
        CountDownLatch inFinalStep = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        TaskRun gated = new Gated(new RecordingTaskRun(server.app.db(), retrieval, server.clock), inFinalStep, proceed);
        try {
            Future<?> retrieving = threads.submit(() -> {
                server.app.retrievalExecutor().run(retrieval, gated);
                return null;
            });
            assertThat(inFinalStep.await(30, TimeUnit.SECONDS)).as("the retrieval reached its final step").isTrue();
            AtomicReference<Thread> deleter = new AtomicReference<>();
            Future<?> deleting = threads.submit(() -> {
                deleter.set(Thread.currentThread());
                server.app.deletionExecutor().run(deletion, new RecordingTaskRun(server.app.db(), deletion, server.clock));
                return null;
            });
            awaitHeldBack(server, deleting, deleter::get);
            proceed.countDown();
            retrieving.get(30, TimeUnit.SECONDS);
            deleting.get(30, TimeUnit.SECONDS);
        } finally {
            proceed.countDown();
        }

        Task deleted = TaskRows.load(server.app.db(), deletion.id());
        Task retrieved = TaskRows.load(server.app.db(), retrieval.id());
        assertThat(deleted.status()).isEqualTo(TaskStatus.SUCCESS);
        assertThat(deleted.counts().get("archives_deleted").asLong()).as("the deletion saw the archive").isEqualTo(1);
        assertThat(retrieved.status()).isEqualTo(TaskStatus.SUCCESS);
        assertThat(retrieved.resultPurged()).isTrue();
        assertThat(retrieved.resultPath()).isNull();
        assertThat(server.app.downloadLinks().apply(retrieved)).isEmpty();
        ArchiveFiles files = new ArchiveFiles(server.app.config().store().dataDir());
        assertThat(files.resolve(files.relativePath(project, retrieval.trackingId()))).doesNotExist();
        assertThat(server.app.events().count(project, List.of("alice"))).isZero();
        assertThat(server.app.events().count(project, List.of("bob"))).isEqualTo(1);
    }

    /** Holds the retrieval inside its final transaction, right before its SUCCESS. */
    private record Gated(TaskRun delegate, CountDownLatch inFinalStep, CountDownLatch proceed) implements TaskRun {

        @Override
        public void heartbeat() {
            delegate.heartbeat();
        }

        @Override
        public void progress(ObjectNode counts) {
            delegate.progress(counts);
        }

        @Override
        public void succeed(Tx c, ObjectNode counts, String resultPath, Long resultExpiresAt) throws SQLException {
            inFinalStep.countDown();
            try {
                if (!proceed.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never let the retrieval proceed");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            delegate.succeed(c, counts, resultPath, resultExpiresAt);
        }
    }
}
