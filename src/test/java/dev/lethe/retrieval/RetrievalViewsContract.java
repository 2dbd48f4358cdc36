package dev.lethe.retrieval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.identity.LinkKind;
import dev.lethe.task.Task;
import dev.lethe.testing.Seed;
import dev.lethe.testing.StoreFixture;
import dev.lethe.testing.TaskRows;
import dev.lethe.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static dev.lethe.retrieval.RetrievalFixture.DAY;
import static dev.lethe.retrieval.RetrievalFixture.json;
import static dev.lethe.testing.EventBuilder.event;
import static org.assertj.core.api.Assertions.assertThat;

/** The CCPA disclosure views: Categories (names, not values) and Sources (means of collection). */
abstract class RetrievalViewsContract {

    abstract StoreFixture store();

    @TempDir
    Path tmp;
    TestServer server;
    RetrievalFixture retrievals;
    long project;

    @BeforeEach
    void start() {
        server = TestServer.start(store(), tmp);
        retrievals = new RetrievalFixture(server);
        project = server.createProject("acme").project().id();
        long now = retrievals.now();
        new Seed(server.app, project)
                .events(web("carol").named("Signup").at(now - 3 * DAY).prop("plan", "pro"),
                        web("carol").at(now - 2 * DAY),
                        web("carol-laptop").at(now - DAY).prop("$device", "MacBook"),
                        event("carol").source("import").at(now - DAY).prop("mp_lib", "python").prop("amount", 42),
                        event("carol").named("Ancient").at(now - 500 * DAY).prop("secret_plan", "gold"),
                        web("dave").named("Signup").at(now - DAY))
                .link("carol", "carol-laptop", LinkKind.DEVICE)
                .profile("carol", "$email", "carol@example.com", "$city", "Lyon")
                .profile("dave", "$email", "dave@example.com");
    }

    private static dev.lethe.testing.EventBuilder web(String id) {
        return event(id).prop("$lib", "web").prop("$lib_version", "2.55.0").prop("$os", "Mac OS X").prop("$browser", "Chrome");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void the_categories_view_lists_per_person_the_names_held_never_the_values() {
        Task task = retrievals.run(TaskRows.retrieval(project, "carol", "dave").compliance("CCPA").disclosure("categories"));

        Map<String, byte[]> files = retrievals.contents(task, null);
        assertThat(files).containsOnlyKeys("categories.json", "manifest.json");
        JsonNode people = json(files.get("categories.json")).get("people");
        assertThat(people).hasSize(2);
        JsonNode carol = people.get(0);
        assertThat(carol.get("distinct_ids")).isEqualTo(json("[\"carol\",\"carol-laptop\"]".getBytes()));
        assertThat(carol.get("event_names")).isEqualTo(json("{\"Page View\":3,\"Signup\":1}".getBytes()));
        assertThat(carol.get("event_property_names")).isEqualTo(json(("[\"$browser\",\"$device\",\"$insert_id\",\"$lib\","
                + "\"$lib_version\",\"$os\",\"amount\",\"distinct_id\",\"mp_lib\",\"plan\",\"time\"]").getBytes()));
        assertThat(carol.get("profile_property_names")).isEqualTo(json("[\"$city\",\"$email\"]".getBytes()));
        assertThat(people.get(1).get("distinct_ids")).isEqualTo(json("[\"dave\"]".getBytes()));
        String all = new String(files.get("categories.json"), StandardCharsets.UTF_8);
        assertThat(all).doesNotContain("carol@example.com", "Lyon", "Chrome", "\"pro\"", "secret_plan", "Ancient");
        JsonNode m = json(files.get("manifest.json"));
        assertThat(m.get("disclosure_type").asText()).isEqualTo("Categories");
        assertThat(m.get("counts")).isEqualTo(json("{\"events\":5,\"profiles\":2,\"people\":2}".getBytes()));
    }

    @Test
    void the_sources_view_aggregates_the_means_of_collection_per_person() {
        Task task = retrievals.run(TaskRows.retrieval(project, "carol").compliance("CCPA").disclosure("Sources"));

        Map<String, byte[]> files = retrievals.contents(task, null);
        assertThat(files).containsOnlyKeys("sources.json", "manifest.json");
        JsonNode people = json(files.get("sources.json")).get("people");
        assertThat(people).hasSize(1);
        assertThat(people.get(0).get("distinct_ids")).isEqualTo(json("[\"carol\",\"carol-laptop\"]".getBytes()));
        // why: the sources come in the order events are read, each id's together in person-key order; the list is a set
        assertThat(people.get(0).get("event_sources")).containsExactlyInAnyOrderElementsOf(json(("["
                + "{\"endpoint\":\"track\",\"lib\":\"web\",\"lib_version\":\"2.55.0\",\"os\":\"Mac OS X\",\"browser\":\"Chrome\",\"device\":null,\"events\":2},"
                + "{\"endpoint\":\"import\",\"lib\":\"python\",\"lib_version\":null,\"os\":null,\"browser\":null,\"device\":null,\"events\":1},"
                + "{\"endpoint\":\"track\",\"lib\":\"web\",\"lib_version\":\"2.55.0\",\"os\":\"Mac OS X\",\"browser\":\"Chrome\",\"device\":\"MacBook\",\"events\":1}"
                + "]").getBytes()));
        assertThat(people.get(0).get("profile_sources")).isEqualTo(json("[{\"endpoint\":\"engage\",\"profiles\":1}]".getBytes()));
        assertThat(json(files.get("manifest.json")).get("disclosure_type").asText()).isEqualTo("Sources");
    }

    @Test
    void gdpr_ignores_the_disclosure_type_and_discloses_the_data() {
        Task task = retrievals.run(TaskRows.retrieval(project, "carol").compliance("GDPR").disclosure("Categories"));

        Map<String, byte[]> files = retrievals.contents(task, null);
        assertThat(files).containsOnlyKeys("events.jsonl", "profiles.jsonl", "manifest.json");
        assertThat(json(files.get("manifest.json")).get("disclosure_type").asText()).isEqualTo("Data");
        assertThat(json(files.get("manifest.json")).get("counts").get("events").asLong()).isEqualTo(5);
    }
}
