package dev.lethe.gdpr;

import dev.lethe.task.Engines;
import dev.lethe.task.RecordingExecutor;
import dev.lethe.task.Task;
import dev.lethe.task.TaskEngine;
import dev.lethe.task.TaskKind;
import org.junit.jupiter.api.BeforeEach;

/**
 * A running server, a client, a project with its owner, and a task engine over the same store
 * whose executors record what they run. Subclasses name the store through {@link #store()}.
 */
abstract class GdprTestBase extends LiveGdprTestBase {

    RecordingExecutor deletions;
    RecordingExecutor retrievals;
    TaskEngine engine;

    @BeforeEach
    void recordingEngine() {
        deletions = new RecordingExecutor(TaskKind.DELETION, server.app.db());
        retrievals = new RecordingExecutor(TaskKind.RETRIEVAL, server.app.db());
        engine = Engines.over(server.app, deletions, retrievals);
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
