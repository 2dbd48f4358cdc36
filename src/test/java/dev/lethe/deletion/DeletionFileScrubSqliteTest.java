package dev.lethe.deletion;

import dev.lethe.crypto.Secrets;
import dev.lethe.task.TaskIdHashes;
import dev.lethe.testing.Bytes;
import dev.lethe.identity.LinkKind;
import dev.lethe.task.Task;
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

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static dev.lethe.testing.EventBuilder.event;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * SQLite only: the deleted bytes must not linger in any file of the data directory, the
 * database file, its WAL and shared-memory files, and the archives included.
 */
class DeletionFileScrubSqliteTest {

    private static final String MARKER = "zq-marker-7f3a9c41e2";

    @TempDir
    Path tmp;
    TestServer server;
    long project;

    @BeforeEach
    void start() {
        server = TestServer.start(StoreFixture.sqlite(), tmp, b -> b.deleteBatchSize(50));
        project = server.createProject("acme").project().id();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void a_marker_ingested_for_the_person_is_in_no_file_of_the_data_directory_right_after_the_deletion() throws Exception {
        Seed seed = new Seed(server.app, project);
        for (int i = 0; i < 200; i++) {
            seed.events(event("alice").prop("note", MARKER + "-" + i), event("bob").prop("note", "bob-" + i),
                    event("alice-phone").prop("note", MARKER));
        }
        seed.profile("alice", "$name", MARKER).link("alice", "alice-phone", LinkKind.DEVICE);
        Task retrieval = TaskRows.retrieval(project, "alice").insert(server.app);
        server.app.retrievalExecutor().run(retrieval, new RecordingTaskRun(server.app.db(), retrieval, server.clock));
        Path archive = dataDir().resolve(TaskRows.load(server.app.db(), retrieval.id()).resultPath());
        assertThat(archive).exists();
        // why: before the deletion the marker is readable, yet in no file in clear: sealed in the store, deflated in the archive
        assertThat(server.app.events().list(project, java.util.Set.of("alice"))).hasSize(200)
                .anySatisfy(e -> assertThat(e.propertiesJson()).contains(MARKER + "-199"));
        assertThat(filesHolding(MARKER)).isEmpty();

        Task deletion = TaskRows.deletion(project, "alice").insert(server.app);
        server.app.deletionExecutor().run(deletion, new RecordingTaskRun(server.app.db(), deletion, server.clock));

        assertThat(TaskRows.load(server.app.db(), deletion.id()).status()).isEqualTo(TaskStatus.SUCCESS);
        assertThat(archive).doesNotExist();
        assertThat(server.app.compactor().idle()).as("no rebuild of the store on the erasure path").isTrue();
        assertThat(server.app.db().keystore().count(project, java.util.List.of(server.app.db().keys().person(project, "alice"),
                server.app.db().keys().person(project, "alice-phone")))).as("the person's keys are destroyed").isZero();
        assertThat(filesHolding(MARKER)).isEmpty();
        assertThat(server.app.events().list(project, java.util.Set.of("bob"))).as("other people's data is still there").hasSize(200);
    }

    @Test
    void after_the_rebuild_and_the_id_retention_no_file_holds_the_person_s_ids() throws Exception {
        server.close();
        server = TestServer.start(StoreFixture.sqlite(), tmp.resolve("retention"), b -> b.deleteBatchSize(50).idRetention(Duration.ZERO));
        project = server.createProject("acme").project().id();
        // why: random ids cannot occur in the files by chance, so finding one means residue.
        String person = "zq-person-" + Secrets.random(20);
        String linked = "zq-linked-" + Secrets.random(20);
        Seed seed = new Seed(server.app, project);
        for (int i = 0; i < 200; i++) {
            seed.events(event(person).prop("note", "n-" + i), event("bob").prop("note", "bob-" + i), event(linked));
        }
        seed.profile(person, "$name", "someone").link(person, linked, LinkKind.DEVICE);
        Task retrieval = TaskRows.retrieval(project, person).insert(server.app);
        server.app.retrievalExecutor().run(retrieval, new RecordingTaskRun(server.app.db(), retrieval, server.clock));
        Task deletion = TaskRows.deletion(project, person).insert(server.app);
        server.app.deletionExecutor().run(deletion, new RecordingTaskRun(server.app.db(), deletion, server.clock));
        assertThat(TaskRows.load(server.app.db(), deletion.id()).status()).isEqualTo(TaskStatus.SUCCESS);
        assertThat(filesHolding(person)).as("only the task rows still hold the id").isNotEmpty()
                .allSatisfy(f -> assertThat(f.getFileName().toString()).startsWith("lethe.db"));

        assertThat(server.app.idRetention().applyOnce()).isEqualTo(2);
        server.app.compactor().compactNow();

        Task hashed = TaskRows.load(server.app.db(), deletion.id());
        assertThat(hashed.distinctIds()).containsExactly(server.app.taskIdHashes().hash(project, person));
        assertThat(hashed.personIds()).hasSize(2).allSatisfy(id -> assertThat(id).startsWith(TaskIdHashes.PREFIX));
        assertThat(filesHolding(person)).isEmpty();
        assertThat(filesHolding(linked)).isEmpty();
        assertThat(server.app.events().list(project, java.util.Set.of("bob"))).as("other people's data is still there").hasSize(200);
        assertThat(server.app.idRetention().applyOnce()).as("a second pass finds nothing left to hash").isZero();
    }

    private Path dataDir() {
        return server.app.config().store().dataDir();
    }

    /** Every file under the data directory whose raw bytes contain the text. */
    private List<Path> filesHolding(String text) throws IOException {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.walk(dataDir())) {
            return files.filter(Files::isRegularFile).filter(f -> Bytes.contains(Bytes.read(f), needle)).toList();
        }
    }
}
