package dev.lethe.retrieval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.json.Json;
import dev.lethe.task.Task;
import dev.lethe.testing.ArchiveContents;
import dev.lethe.testing.RecordingTaskRun;
import dev.lethe.testing.TaskRows;
import dev.lethe.testing.TestServer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Runs retrievals directly against a test server's app and reads what they wrote. */
final class RetrievalFixture {

    static final long DAY = Duration.ofDays(1).toMillis();

    private final TestServer server;

    RetrievalFixture(TestServer server) {
        this.server = server;
    }

    long now() {
        return server.clock.millis();
    }

    /** Inserts the task, runs the executor to SUCCESS and returns the task as stored. */
    Task run(TaskRows rows) {
        Task task = rows.insert(server.app);
        try {
            server.app.retrievalExecutor().run(task, new RecordingTaskRun(server.app.db(), task, server.clock));
        } catch (Exception e) {
            throw new AssertionError("retrieval failed", e);
        }
        return TaskRows.load(server.app.db(), task.id());
    }

    Path archive(Task task) {
        return server.app.config().store().dataDir().resolve(task.resultPath());
    }

    Map<String, byte[]> contents(Task task, String password) {
        return ArchiveContents.read(archive(task), password);
    }

    static List<JsonNode> lines(byte[] jsonl) {
        String text = new String(jsonl, StandardCharsets.UTF_8);
        if (text.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(text.split("\n")).map(Json::readTrusted).toList();
    }

    static JsonNode json(byte[] bytes) {
        return Json.readTrusted(new String(bytes, StandardCharsets.UTF_8));
    }
}
