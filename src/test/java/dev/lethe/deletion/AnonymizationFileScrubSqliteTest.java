package dev.lethe.deletion;

import dev.lethe.crypto.Secrets;
import dev.lethe.event.EventStore;
import dev.lethe.identity.LinkKind;
import dev.lethe.task.Task;
import dev.lethe.task.TaskStatus;
import dev.lethe.testing.Bytes;
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
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static dev.lethe.testing.EventBuilder.event;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * SQLite only, as {@link DeletionFileScrubSqliteTest} for deletions: an anonymization rewrites the
 * person's rows in place, so their old versions must not linger in any file of the data directory
 * once the rebuild and the id retention have run, while the anonymized events stay.
 */
class AnonymizationFileScrubSqliteTest {

    @TempDir
    Path tmp;
    TestServer server;
    long project;

    @BeforeEach
    void start() {
        server = TestServer.start(StoreFixture.sqlite(), tmp, b -> b.deleteBatchSize(50).idRetention(Duration.ZERO));
        project = server.createProject("acme").project().id();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void after_the_rebuild_and_the_id_retention_no_file_holds_the_old_ids_or_the_dropped_values() throws Exception {
        // why: random ids cannot occur in the files by chance, so finding one means residue.
        String person = "zq-person-" + Secrets.random(20);
        String linked = "zq-linked-" + Secrets.random(20);
        String email = "zq-mail-" + Secrets.random(20) + "@example.com";
        Seed seed = new Seed(server.app, project);
        for (int i = 0; i < 200; i++) {
            seed.events(event(person).prop("note", "n-" + i).prop("$email", email).prop("$user_id", person),
                    event("bob").prop("note", "bob-" + i), event(linked).prop("$device_id", linked));
        }
        seed.profile(person, "$email", email).link(person, linked, LinkKind.DEVICE);
        assertThat(filesHolding(person)).as("the id is sealed on disk").isEmpty();
        assertThat(server.app.events().count(project, List.of(person))).isEqualTo(200);

        Task task = TaskRows.deletion(project, person).insert(server.app);
        server.app.db().inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE tasks SET mode = 'ANONYMIZE' WHERE id = ?")) {
                ps.setLong(1, task.id());
                return ps.executeUpdate();
            }
        });
        Task anonymizing = TaskRows.load(server.app.db(), task.id());
        server.app.deletionExecutor().run(anonymizing, new RecordingTaskRun(server.app.db(), anonymizing, server.clock));
        assertThat(TaskRows.load(server.app.db(), task.id()).status()).isEqualTo(TaskStatus.SUCCESS);
        assertThat(server.app.compactor().idle()).as("no rebuild of the store on the erasure path").isTrue();
        assertThat(filesHolding(email)).as("a dropped value, right after SUCCESS").isEmpty();
        assertThat(server.app.db().keystore().count(project, List.of(server.app.db().keys().person(project, person),
                server.app.db().keys().person(project, linked)))).as("the person's keys are destroyed").isZero();
        assertThat(server.app.idRetention().applyOnce()).isEqualTo(1);
        server.app.compactor().compactNow();

        List<EventStore.Row> rows = server.app.events().timeRange(project, Long.MIN_VALUE, Long.MAX_VALUE,
                EventStore.TimePosition.START, 10_000);
        List<EventStore.Row> kept = rows.stream().filter(r -> r.readable() && r.distinctId().startsWith("anon:")).toList();
        assertThat(kept).hasSize(400).anySatisfy(r -> assertThat(r.propertiesJson()).contains("n-199"))
                .allSatisfy(r -> assertThat(r.propertiesJson()).doesNotContain(email, person, linked));
        assertThat(rows).as("every row still opens").allSatisfy(r -> assertThat(r.readable()).isTrue());
        assertThat(filesHolding(person)).isEmpty();
        assertThat(filesHolding(linked)).isEmpty();
        assertThat(filesHolding(email)).isEmpty();
        assertThat(server.app.events().list(project, List.of("bob"))).as("other people's data is still there").hasSize(200)
                .anySatisfy(e -> assertThat(e.propertiesJson()).contains("bob-199"));
    }

    /** Every file under the data directory whose raw bytes contain the text. */
    private List<Path> filesHolding(String text) throws IOException {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.walk(server.app.config().store().dataDir())) {
            return files.filter(Files::isRegularFile).filter(f -> Bytes.contains(Bytes.read(f), needle)).toList();
        }
    }
}
