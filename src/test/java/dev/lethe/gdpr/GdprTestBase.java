package dev.lethe.gdpr;

import dev.lethe.config.LetheConfig;
import dev.lethe.task.Engines;
import dev.lethe.task.RecordingExecutor;
import dev.lethe.task.Task;
import dev.lethe.task.TaskEngine;
import dev.lethe.task.TaskKind;
import dev.lethe.testing.StoreFixture;
import dev.lethe.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * A running server, a client, a project with its owner, and a task engine over the same store
 * whose executors record what they run. Subclasses name the store through {@link #store()}.
 */
abstract class GdprTestBase {

    abstract StoreFixture store();

    @TempDir
    Path tmp;
    TestServer server;
    GdprClient api;
    Caller owner;
    RecordingExecutor deletions;
    RecordingExecutor retrievals;
    TaskEngine engine;

    /** Config changes a test class needs; rate limits are high by default so they do not interfere. */
    UnaryOperator<LetheConfig.Builder> config() {
        return b -> b;
    }

    @BeforeEach
    void startServer() {
        server = TestServer.start(store(), tmp, config());
        api = new GdprClient(server);
        owner = Caller.ownerOfNewProject(server);
        deletions = new RecordingExecutor(TaskKind.DELETION, server.app.db());
        retrievals = new RecordingExecutor(TaskKind.RETRIEVAL, server.app.db());
        engine = Engines.over(server.app, deletions, retrievals);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    Task stored(String trackingId) {
        return server.app.tasks().byTrackingId(trackingId).orElseThrow();
    }

    String createdDeletion(Caller c, String... ids) {
        GdprClient.Response r = api.createDeletion(c, GdprClient.ids(ids));
        org.assertj.core.api.Assertions.assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.trackingId();
    }

    String createdRetrieval(Caller c, String... ids) {
        GdprClient.Response r = api.createRetrieval(c, GdprClient.ids(ids));
        org.assertj.core.api.Assertions.assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.trackingId();
    }
}
