package dev.lethe.deletion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.event.EventStore;
import dev.lethe.identity.LinkKind;
import dev.lethe.ingest.EventIngester;
import dev.lethe.ingest.EventNormalizer;
import dev.lethe.ingest.Validation;
import dev.lethe.json.Json;
import dev.lethe.store.Database;
import dev.lethe.task.Task;
import dev.lethe.task.TaskStatus;
import dev.lethe.testing.RecordingTaskRun;
import dev.lethe.testing.RowSnapshot;
import dev.lethe.testing.Seed;
import dev.lethe.testing.StoreFixture;
import dev.lethe.testing.TaskRows;
import dev.lethe.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static dev.lethe.testing.EventBuilder.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The executor's side of an anonymizing deletion: batches, the final step, a crash and its rerun, and
 * events or links arriving meanwhile. The HTTP side is {@code GdprAnonymizeContract}.
 */
abstract class AnonymizationContract {

    abstract StoreFixture store();

    private static final List<String> ALICE = List.of("alice", "alice-phone");

    @TempDir
    Path tmp;
    TestServer server;
    Database db;
    long project;
    Seed seed;

    @BeforeEach
    void start() {
        server = TestServer.start(store(), tmp, b -> b.deleteBatchSize(3));
        db = server.app.db();
        project = server.createProject("acme").project().id();
        seed = new Seed(server.app, project);
        seed.manyEvents("alice", 7)
                .events(event("alice-phone").named("App Open").prop("$device_id", "alice-phone").prop("$email", "a@example.com")
                        .prop("plan", "pro"))
                .profile("alice", "$email", "alice@example.com").link("alice", "alice-phone", LinkKind.DEVICE);
        seed.manyEvents("bob", 5).profile("bob", "$email", "bob@example.com").link("bob", "bob-laptop", LinkKind.DEVICE);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    Task anonymizing(String... ids) {
        Task task = TaskRows.deletion(project, ids).insert(server.app);
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE tasks SET mode = 'ANONYMIZE' WHERE id = ?")) {
                ps.setLong(1, task.id());
                return ps.executeUpdate();
            }
        });
        Task loaded = TaskRows.load(db, task.id());
        assertThat(loaded.anonymizes()).isTrue();
        return loaded;
    }

    Task run(Task task) {
        server.app.deletionExecutor().run(task, new RecordingTaskRun(db, task, server.clock));
        return TaskRows.load(db, task.id());
    }

    List<EventStore.Row> all() {
        return server.app.events().timeRange(project, Long.MIN_VALUE, Long.MAX_VALUE, EventStore.TimePosition.START, 10_000);
    }

    /** The project's events not under these ids, by pseudonym. */
    Map<String, List<EventStore.Row>> pseudonymous() {
        return all().stream().filter(r -> r.distinctId().startsWith("anon:"))
                .collect(Collectors.groupingBy(EventStore.Row::distinctId, TreeMap::new, Collectors.toList()));
    }

    long remaining(List<String> ids) {
        return db.withConnection(c -> server.app.events().count(c, project, ids)
                + server.app.profiles().count(c, project, ids) + server.app.links().countLinks(c, project, ids));
    }

    @Test
    void the_events_stay_in_batches_under_one_pseudonym_and_everyone_else_is_untouched() {
        List<String> bobBefore = RowSnapshot.othersThan(db, project, Set.copyOf(ALICE));
        Task done = run(anonymizing("alice"));

        assertThat(done.status()).isEqualTo(TaskStatus.SUCCESS);
        assertThat(remaining(ALICE)).isZero();
        Map<String, List<EventStore.Row>> kept = pseudonymous();
        assertThat(kept).hasSize(1);
        List<EventStore.Row> rows = kept.values().iterator().next();
        assertThat(rows).hasSize(8);
        assertThat(rows.stream().filter(r -> r.event().equals("App Open"))).singleElement().satisfies(r -> {
            JsonNode p = Json.readTrusted(r.propertiesJson());
            assertThat(p.has("$email")).isFalse();
            assertThat(p.get("$device_id").asText()).isEqualTo(r.distinctId());
            assertThat(p.get("plan").asText()).isEqualTo("pro");
        });
        assertThat(done.counts().get("events_anonymized").asLong()).isEqualTo(8);
        assertThat(done.counts().get("properties_dropped").asLong()).isEqualTo(1);
        assertThat(done.counts().get("profiles_deleted").asLong()).isEqualTo(1);
        assertThat(done.counts().get("links_deleted").asLong()).isEqualTo(1);
        assertThat(done.counts().has("events_deleted")).isFalse();
        Set<String> aliceNow = Set.of("alice", "alice-phone", rows.get(0).distinctId());
        assertThat(RowSnapshot.othersThan(db, project, aliceNow)).as("bob's rows, byte for byte").isEqualTo(bobBefore);
    }

    @Test
    void a_run_that_crashed_half_way_is_finished_by_the_rerun_and_nothing_is_lost() {
        seed.manyEvents("alice", 12);
        Task task = anonymizing("alice");

        assertThatThrownBy(() -> server.app.deletionExecutor().run(task,
                new RecordingTaskRun(db, task, server.clock).crashAtProgress(2)))
                .isInstanceOf(RecordingTaskRun.SimulatedCrash.class);
        assertThat(TaskRows.load(db, task.id()).status()).isEqualTo(TaskStatus.STARTED);
        assertThat(server.app.events().count(project, ALICE)).isEqualTo(20 - 6);

        Task done = run(TaskRows.load(db, task.id()));

        assertThat(done.status()).isEqualTo(TaskStatus.SUCCESS);
        assertThat(remaining(ALICE)).isZero();
        assertThat(done.counts().get("events_anonymized").asLong()).isEqualTo(20);
        // why: the crashed run's pseudonym lived only in its memory, so the rerun draws another (docs/erasure.md).
        Map<String, List<EventStore.Row>> kept = pseudonymous();
        assertThat(kept).hasSize(2);
        assertThat(kept.values().stream().mapToInt(List::size).sum()).isEqualTo(20);
        assertThat(remaining(List.of("bob", "bob-laptop"))).isEqualTo(5 + 1 + 2);
    }

    @Test
    void an_id_linked_during_the_run_is_replaced_in_events_rewritten_before_the_link_existed() {
        seed.events(event("alice").named("Paired").prop("paired_with", "alice-tablet"));
        Task task = anonymizing("alice");
        RecordingTaskRun taskRun = new RecordingTaskRun(db, task, server.clock).onProgress(counts -> {
            if (counts.get("events_anonymized").asLong() == 3) {
                seed.events(event("alice-tablet").named("Late")).link("alice-tablet", "alice-phone", LinkKind.DEVICE);
            }
        });

        server.app.deletionExecutor().run(task, taskRun);

        Task done = TaskRows.load(db, task.id());
        assertThat(done.status()).isEqualTo(TaskStatus.SUCCESS);
        assertThat(remaining(List.of("alice", "alice-phone", "alice-tablet"))).isZero();
        List<EventStore.Row> kept = pseudonymous().values().iterator().next();
        assertThat(kept).hasSize(10);
        assertThat(kept).allSatisfy(r -> assertThat(r.propertiesJson()).doesNotContain("alice"));
        assertThat(kept.stream().filter(r -> r.event().equals("Paired"))).singleElement()
                .satisfies(r -> assertThat(Json.readTrusted(r.propertiesJson()).get("paired_with").asText()).isEqualTo(r.distinctId()));
    }

    @Test
    void events_of_the_person_ingested_during_the_run_are_held_back_and_counted() {
        Task task = anonymizing("alice");
        RecordingTaskRun taskRun = new RecordingTaskRun(db, task, server.clock).onProgress(counts -> {
            if (counts.get("events_anonymized").asLong() == 3) {
                EventIngester.Outcome outcome = server.app.eventIngester().ingest(List.of(
                        track("alice", "late-1"), track("bob", "bob-late")), "track", dev.lethe.ingest.Credential.PROJECT_TOKEN);
                assertThat(outcome.dropped()).isEqualTo(1);
            }
        });

        server.app.deletionExecutor().run(task, taskRun);

        Task done = TaskRows.load(db, task.id());
        assertThat(done.status()).isEqualTo(TaskStatus.SUCCESS);
        assertThat(done.counts().get("events_dropped_during_deletion").asLong()).isEqualTo(1);
        assertThat(remaining(ALICE)).isZero();
        assertThat(server.app.events().count(project, List.of("bob"))).isEqualTo(6);
    }

    @Test
    void a_project_s_own_personal_properties_are_dropped_with_the_defaults() {
        seed.events(event("alice").named("Checkout").prop("company_phone", "+49 30 1234").prop("basket", 3).prop("$city", "Berlin")
                .prop("mp_country_code", "DE"));
        server.app.projects().setPersonalProperties(project, List.of("company_phone"));

        Task done = run(anonymizing("alice"));

        EventStore.Row checkout = pseudonymous().values().iterator().next().stream()
                .filter(r -> r.event().equals("Checkout")).findFirst().orElseThrow();
        JsonNode p = Json.readTrusted(checkout.propertiesJson());
        assertThat(p.has("company_phone")).isFalse();
        assertThat(p.has("$city")).isFalse();
        assertThat(p.get("basket").asInt()).isEqualTo(3);
        assertThat(p.get("mp_country_code").asText()).isEqualTo("DE");
        assertThat(done.counts().get("properties_dropped").asLong()).isEqualTo(1 + 2);
    }

    private EventIngester.Routed track(String distinctId, String insertId) {
        ObjectNode record = Json.object().put("event", "Late");
        record.putObject("properties").put("distinct_id", distinctId).put("time", 1_790_000_000L).put("$insert_id", insertId);
        return new EventIngester.Routed(project, EventNormalizer.normalize(record, Validation.IMPORT, server.clock.millis()));
    }
}
