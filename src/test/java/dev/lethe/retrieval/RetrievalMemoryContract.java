package dev.lethe.retrieval;

import dev.lethe.event.EventRecord;
import dev.lethe.task.Task;
import dev.lethe.task.TaskStatus;
import dev.lethe.testing.ArchiveContents;
import dev.lethe.testing.EventBuilder;
import dev.lethe.testing.RecordingTaskRun;
import dev.lethe.testing.StoreFixture;
import dev.lethe.testing.TaskRows;
import dev.lethe.testing.TestServer;
import net.lingala.zip4j.io.inputstream.ZipInputStream;
import net.lingala.zip4j.model.LocalFileHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A large person is exported in bounded memory: the heap retained during the export (measured
 * after a GC at each progress report) stays below what holding the events would take (21,000
 * events of over 2,000 bytes each: more than 42 MB as strings alone, against a bound of 32 MB).
 * why: fewer, larger events than the 200,000, 100,000 and then 50,000 this test had: the bound is about bytes held,
 * while the suite's time went into per-event work (sealing, inserting, opening). The second of the two progress
 * reports comes after 20,000 events, 40 MB as strings: an export that held them would be over the bound there.
 */
abstract class RetrievalMemoryContract {

    private static final int EVENTS = 21_000;
    private static final long BOUND_BYTES = 32L * 1024 * 1024;

    abstract StoreFixture store();

    @TempDir
    Path tmp;
    TestServer server;
    long project;

    @BeforeEach
    void start() {
        server = TestServer.start(store(), tmp);
        project = server.createProject("acme").project().id();
        String payload = "x".repeat(2_000);
        for (int start = 0; start < EVENTS; start += 10_000) {
            List<EventRecord> batch = new ArrayList<>(10_000);
            for (int i = start; i < Math.min(EVENTS, start + 10_000); i++) {
                batch.add(EventBuilder.event("heavy-user").at(1_700_000_000_000L + i).prop("payload", payload)
                        .prop("seq", i).build());
            }
            server.app.events().insert(project, batch);
        }
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void a_person_with_21k_events_of_2000_bytes_is_exported_in_bounded_memory() throws Exception {
        Task task = TaskRows.retrieval(project, "heavy-user").insert(server.app);
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        memory.gc();
        long baseline = memory.getHeapMemoryUsage().getUsed();
        long[] peak = {0};
        RecordingTaskRun taskRun = new RecordingTaskRun(server.app.db(), task, server.clock).onProgress(counts -> {
            memory.gc();
            peak[0] = Math.max(peak[0], memory.getHeapMemoryUsage().getUsed() - baseline);
        });

        server.app.retrievalExecutor().run(task, taskRun);

        assertThat(TaskRows.load(server.app.db(), task.id()).status()).isEqualTo(TaskStatus.SUCCESS);
        assertThat(taskRun.progress()).hasSize(EVENTS / Export.PROGRESS_EVERY);
        assertThat(peak[0]).isLessThan(BOUND_BYTES);
        assertThat(countEventLines(TaskRows.load(server.app.db(), task.id()).resultPath())).isEqualTo(EVENTS);
    }

    private long countEventLines(String resultPath) throws Exception {
        Path zip = server.app.config().store().dataDir().resolve(resultPath);
        try (InputStream file = Files.newInputStream(zip); ZipInputStream in = ArchiveContents.stream(file, null)) {
            for (LocalFileHeader h = in.getNextEntry(); h != null; h = in.getNextEntry()) {
                if (h.getFileName().equals("events.jsonl")) {
                    BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                    return lines.lines().count();
                }
            }
        }
        throw new AssertionError("no events.jsonl in the archive");
    }
}
