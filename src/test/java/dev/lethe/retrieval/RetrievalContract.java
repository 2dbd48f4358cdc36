package dev.lethe.retrieval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.crypto.Secrets;
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

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static dev.lethe.retrieval.RetrievalFixture.DAY;
import static dev.lethe.retrieval.RetrievalFixture.json;
import static dev.lethe.retrieval.RetrievalFixture.lines;
import static dev.lethe.testing.EventBuilder.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Data archive of GDPR and CCPA retrievals, checked field by field. */
abstract class RetrievalContract {

    abstract StoreFixture store();

    @TempDir
    Path tmp;
    TestServer server;
    RetrievalFixture retrievals;
    long project;
    long now;

    @BeforeEach
    void start() {
        server = TestServer.start(store(), tmp);
        retrievals = new RetrievalFixture(server);
        project = server.createProject("acme").project().id();
        now = retrievals.now();
        new Seed(server.app, project)
                .events(event("alice").named("Signup").at(now - 2 * DAY).insertId("ins-signup").prop("plan", "pro"),
                        event("alice").named("Renewal").at(now - 360 * DAY).insertId("ins-renewal").prop("amount", 42),
                        event("alice").named("Purchase").at(now - 400 * DAY).insertId("ins-purchase").prop("amount", 7),
                        event("alice-phone").named("App Open").at(now - 30 * DAY).insertId("ins-open").prop("$os", "iOS"),
                        event("bob").named("Signup").at(now - DAY))
                .link("alice", "alice-phone", LinkKind.DEVICE)
                .profile("alice", "$email", "alice@example.com", "$name", "Alice")
                .profile("bob", "$email", "bob@example.com");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void a_gdpr_archive_holds_every_event_and_the_profile_field_by_field() {
        Task task = retrievals.run(TaskRows.retrieval(project, "alice"));

        assertThat(task.status()).isEqualTo(TaskStatus.SUCCESS);
        assertThat(task.resultPath()).isEqualTo("archives/" + project + "/" + task.trackingId() + ".zip");
        assertThat(task.resultExpiresAt()).isEqualTo(now + 7 * DAY);
        Map<String, byte[]> files = retrievals.contents(task, null);
        assertThat(files).containsOnlyKeys("events.jsonl", "profiles.jsonl", "manifest.json");
        List<JsonNode> events = lines(files.get("events.jsonl"));
        assertThat(events).extracting(RetrievalContract::idAndName).containsExactlyElementsOf(eachIdOldestFirst(task,
                Map.of("alice", List.of("Purchase", "Renewal", "Signup"), "alice-phone", List.of("App Open"))));
        JsonNode signup = named(events, "Signup");
        assertThat(signup.size()).isEqualTo(2);
        assertThat(signup.get("properties").get("distinct_id").asText()).isEqualTo("alice");
        assertThat(signup.get("properties").get("time").asLong()).isEqualTo(now - 2 * DAY);
        assertThat(signup.get("properties").get("$insert_id").asText()).isEqualTo("ins-signup");
        assertThat(signup.get("properties").get("plan").asText()).isEqualTo("pro");
        assertThat(signup.get("properties").size()).isEqualTo(4);
        assertThat(named(events, "App Open").get("properties").get("distinct_id").asText()).isEqualTo("alice-phone");
        assertThat(named(events, "App Open").get("properties").get("$os").asText()).isEqualTo("iOS");
        List<JsonNode> profiles = lines(files.get("profiles.jsonl"));
        assertThat(profiles).hasSize(1);
        assertThat(profiles.get(0).get("$distinct_id").asText()).isEqualTo("alice");
        assertThat(profiles.get(0).get("$properties")).isEqualTo(json("{\"$email\":\"alice@example.com\",\"$name\":\"Alice\"}".getBytes()));
    }

    @Test
    void the_manifest_describes_the_archive_and_its_checksums_match_the_files() {
        Task task = retrievals.run(TaskRows.retrieval(project, "alice"));

        Map<String, byte[]> files = retrievals.contents(task, null);
        JsonNode m = json(files.get("manifest.json"));
        assertThat(m.get("format").asText()).isEqualTo("lethe-archive/1");
        assertThat(m.get("task_id").asText()).isEqualTo(task.trackingId());
        assertThat(m.get("project_id").asLong()).isEqualTo(project);
        assertThat(m.get("compliance_type").asText()).isEqualTo("GDPR");
        assertThat(m.get("disclosure_type").asText()).isEqualTo("Data");
        assertThat(m.get("requested_distinct_ids")).isEqualTo(json("[\"alice\"]".getBytes()));
        assertThat(m.get("resolved_distinct_ids")).isEqualTo(json("[\"alice\",\"alice-phone\"]".getBytes()));
        assertThat(m.get("how_linked")).isEqualTo(json("{\"alice\":\"requested\",\"alice-phone\":\"device via alice\"}".getBytes()));
        assertThat(m.get("time_unit").asText()).isEqualTo("milliseconds");
        assertThat(m.get("time_window").get("from_ms").isNull()).isTrue();
        assertThat(m.get("counts")).isEqualTo(json("{\"events\":4,\"profiles\":1,\"people\":1}".getBytes()));
        assertThat(m.get("created_at").asText()).isEqualTo("2026-11-28T09:15:02.118Z");
        assertThat(m.get("encrypted").asBoolean()).isFalse();
        assertThat(m.get("files")).hasSize(2);
        for (JsonNode f : m.get("files")) {
            byte[] bytes = files.get(f.get("name").asText());
            assertThat(f.get("bytes").asLong()).isEqualTo(bytes.length);
            assertThat(f.get("sha256").asText()).isEqualTo(HexFormat.of().formatHex(Secrets.sha256(bytes)));
        }
        assertThat(task.counts()).isEqualTo(m.get("counts"));
        assertThat(subjects(task)).containsExactlyInAnyOrder(personKey(task, "alice"), personKey(task, "alice-phone"));
    }

    @Test
    void a_ccpa_archive_holds_only_the_last_12_months_of_events_and_the_profile() {
        Task task = retrievals.run(TaskRows.retrieval(project, "alice").compliance("CCPA").disclosure("Data"));

        Map<String, byte[]> files = retrievals.contents(task, null);
        assertThat(lines(files.get("events.jsonl"))).extracting(RetrievalContract::idAndName).containsExactlyElementsOf(
                eachIdOldestFirst(task, Map.of("alice", List.of("Renewal", "Signup"), "alice-phone", List.of("App Open"))));
        assertThat(lines(files.get("profiles.jsonl"))).hasSize(1);
        JsonNode m = json(files.get("manifest.json"));
        assertThat(m.get("compliance_type").asText()).isEqualTo("CCPA");
        assertThat(m.get("time_window").get("from").asText()).isEqualTo("2025-11-28T09:15:02.118Z");
        assertThat(m.get("counts").get("events").asLong()).isEqualTo(3);
    }

    @Test
    void a_rerun_replaces_a_partial_archive_left_by_a_crash() throws Exception {
        Task task = TaskRows.retrieval(project, "alice").insert(server.app);
        Path dir = server.app.config().store().dataDir().resolve("archives/" + project + "/" + ArchiveFiles.PARTIALS);
        Files.createDirectories(dir);
        Path left = dir.resolve(task.trackingId() + ".zip.0c1d2e3f.partial");
        Path anothers = dir.resolve("another.zip.4a5b6c7d.partial");
        Files.writeString(left, "half an archive");
        Files.writeString(anothers, "another archive being written");

        server.app.retrievalExecutor().run(task, new RecordingTaskRun(server.app.db(), task, server.clock));

        assertThat(left).doesNotExist();
        assertThat(anothers).as("another archive's writer").exists();
        Task done = TaskRows.load(server.app.db(), task.id());
        assertThat(lines(retrievals.contents(done, null).get("events.jsonl"))).hasSize(4);
    }

    @Test
    void an_archive_is_not_published_when_a_deletion_of_the_person_finished_while_it_was_written() {
        Task retrieval = TaskRows.retrieval(project, "alice").insert(server.app);
        Task deletion = TaskRows.deletion(project, "alice-phone").insert(server.app);
        RecordingTaskRun retrievalRun = new RecordingTaskRun(server.app.db(), retrieval, server.clock);
        server.app.deletionExecutor().run(deletion, new RecordingTaskRun(server.app.db(), deletion, server.clock));

        assertThatThrownBy(() -> server.app.retrievalExecutor().run(retrieval, retrievalRun))
                .hasMessageContaining("deletion");

        assertThat(TaskRows.load(server.app.db(), retrieval.id()).status()).isEqualTo(TaskStatus.STARTED);
        assertThat(server.app.config().store().dataDir().resolve("archives/" + project + "/" + retrieval.trackingId() + ".zip"))
                .doesNotExist();
        assertThat(subjects(retrieval)).isEmpty();
    }

    private static String idAndName(JsonNode event) {
        return event.get("properties").get("distinct_id").asText() + " " + event.get("event").asText();
    }

    private static JsonNode named(List<JsonNode> events, String name) {
        return events.stream().filter(e -> e.get("event").asText().equals(name)).findFirst().orElseThrow();
    }

    /** Each id's events together, oldest first; the ids in the order of their person keys, as the index reads them. */
    private List<String> eachIdOldestFirst(Task task, Map<String, List<String>> namesById) {
        List<String> ids = new ArrayList<>(namesById.keySet());
        ids.sort((a, b) -> dev.lethe.store.IndexKeys.compare(server.app.db().keys().person(task.projectId(), a),
                server.app.db().keys().person(task.projectId(), b)));
        List<String> out = new ArrayList<>();
        ids.forEach(id -> namesById.get(id).forEach(name -> out.add(id + " " + name)));
        return out;
    }

    private String personKey(Task task, String id) {
        return java.util.HexFormat.of().formatHex(server.app.db().keys().person(task.projectId(), id));
    }

    /** The person keys (hex) an archive is recorded under; the table keeps no id in clear. */
    private List<String> subjects(Task task) {
        return server.app.db().withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT person_key FROM archive_subjects WHERE task_id = ? ORDER BY person_key")) {
                ps.setLong(1, task.id());
                List<String> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(java.util.HexFormat.of().formatHex(rs.getBytes(1)));
                    }
                }
                return out;
            }
        });
    }
}
