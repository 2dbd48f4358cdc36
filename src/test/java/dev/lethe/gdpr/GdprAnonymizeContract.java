package dev.lethe.gdpr;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.event.EventStore;
import dev.lethe.json.Json;
import dev.lethe.testing.TestHttp;
import net.lingala.zip4j.io.inputstream.ZipInputStream;
import net.lingala.zip4j.model.LocalFileHeader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.lethe.gdpr.GdprClient.DELETIONS;
import static dev.lethe.gdpr.GdprClient.body;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code "mode": "anonymize"} end to end: events sent over /track the way the SDKs send them, the deletion
 * created and checked over HTTP, the real engine and executor, a retrieval of the old ids downloaded.
 */
abstract class GdprAnonymizeContract extends LiveGdprTestBase {

    @BeforeEach
    void seed() {
        trackJson("{\"event\":\"Signed Up\",\"properties\":{\"distinct_id\":\"u-1\",\"$insert_id\":\"a\",\"time\":1795000000,"
                + "\"$email\":\"ann@example.com\",\"$name\":\"Ann\",\"plan\":\"pro\",\"$city\":\"Berlin\",\"mp_country_code\":\"DE\","
                + "\"invited\":{\"by\":\"u-1\",\"count\":2}}}");
        trackJson("{\"event\":\"$create_alias\",\"properties\":{\"distinct_id\":\"u-1\",\"alias\":\"ann@example.com\"}}");
        trackJson("{\"event\":\"Opened App\",\"properties\":{\"distinct_id\":\"u-1\",\"$device_id\":\"dev-9\",\"$user_id\":\"u-1\","
                + "\"$insert_id\":\"b\",\"time\":1795000100,\"$ip\":\"203.0.113.7\"}}");
        trackJson("{\"event\":\"Browsed\",\"properties\":{\"distinct_id\":\"$device:dev-9\",\"$insert_id\":\"c\",\"time\":1795000200,"
                + "\"$device_id\":\"dev-9\",\"page\":\"/pricing\"}}");
        trackJson("{\"event\":\"Browsed\",\"properties\":{\"distinct_id\":\"other\",\"$insert_id\":\"d\",\"time\":1795000300,"
                + "\"$email\":\"other@example.com\"}}");
        server.app.profiles().update(owner.project().id(), "u-1", 0, p -> p.put("$email", "ann@example.com"));
    }

    @Test
    void the_events_stay_with_their_names_and_times_under_one_pseudonym_without_ids_or_personal_properties() {
        List<EventStore.Row> before = all();
        String id = createdAndDone(body("distinct_ids", List.of("u-1"), "mode", "anonymize"));

        List<EventStore.Row> after = all();
        assertThat(after).hasSameSizeAs(before);
        assertThat(summary(after)).isEqualTo(summary(before));
        List<EventStore.Row> kept = after.stream().filter(r -> !r.distinctId().equals("other")).toList();
        assertThat(kept).hasSize(3).extracting(EventStore.Row::distinctId).containsOnly(kept.get(0).distinctId());
        String pseudonym = kept.get(0).distinctId();
        assertThat(pseudonym).startsWith("anon:").doesNotContain("u-1");
        for (EventStore.Row r : kept) {
            assertThat(r.propertiesJson()).doesNotContain("u-1", "dev-9", "ann@example.com", "Ann", "Berlin", "203.0.113.7");
            JsonNode p = Json.readTrusted(r.propertiesJson());
            assertThat(p.get("distinct_id").asText()).isEqualTo(pseudonym);
            assertThat(r.insertId()).isNotIn("a", "b", "c");
        }
        JsonNode signedUp = props(kept, "Signed Up");
        assertThat(signedUp.get("plan").asText()).isEqualTo("pro");
        assertThat(signedUp.get("mp_country_code").asText()).isEqualTo("DE");
        assertThat(signedUp.get("invited").get("by").asText()).isEqualTo(pseudonym);
        assertThat(signedUp.get("invited").get("count").asInt()).isEqualTo(2);
        assertThat(props(kept, "Opened App").get("$device_id").asText()).isEqualTo(pseudonym);
        assertThat(props(kept, "Opened App").get("$user_id").asText()).isEqualTo(pseudonym);
        assertThat(props(kept, "Opened App").has("$ip")).isFalse();

        long project = owner.project().id();
        assertThat(server.app.events().count(project, Set.of("u-1", "$device:dev-9", "ann@example.com"))).isZero();
        long profiles = server.app.db().withConnection(c -> server.app.profiles().count(c, project, List.of("u-1")));
        assertThat(profiles).isZero();
        assertThat(server.app.resolver().resolve(project, Set.of("u-1"))).containsExactly("u-1");
        EventStore.Row bystander = after.stream().filter(r -> r.distinctId().equals("other")).findFirst().orElseThrow();
        assertThat(bystander).isEqualTo(before.stream().filter(r -> r.distinctId().equals("other")).findFirst().orElseThrow());
        assertThat(api.checkDeletion(owner, id).body()).doesNotContain(pseudonym);
    }

    @Test
    void a_retrieval_of_the_old_ids_afterwards_finds_nothing() throws IOException {
        createdAndDone(body("distinct_ids", List.of("u-1"), "mode", "anonymize"));
        // why: a retrieval refuses to finish when a deletion of its ids finished at or after its start; the test clock stands still.
        server.clock.advance(java.time.Duration.ofSeconds(1));

        GdprClient.Response created = api.call("POST", GdprClient.RETRIEVALS, owner,
                GdprClient.ids("u-1", "$device:dev-9", "ann@example.com"));
        assertThat(created.status()).isEqualTo(201);
        drain();
        JsonNode checked = api.checkRetrieval(owner, created.trackingId()).results();
        assertThat(checked.get("status").asText()).isEqualTo("SUCCESS");
        Map<String, String> files = unzip(download(checked.get("results").asText()));
        assertThat(files.get("events.jsonl")).isEmpty();
        assertThat(files.get("profiles.jsonl")).isEmpty();
    }

    @Test
    void the_project_s_personal_properties_are_dropped_as_well() {
        server.app.projects().setPersonalProperties(owner.project().id(), List.of("plan"));
        String id = createdAndDone(body("distinct_ids", List.of("u-1"), "mode", "anonymize"));

        JsonNode signedUp = props(all(), "Signed Up");
        assertThat(signedUp.has("plan")).isFalse();
        assertThat(signedUp.get("mp_country_code").asText()).isEqualTo("DE");
        JsonNode counts = verbose(id).get("counts");
        // why: $email, $name, $city and plan on Signed Up, $ip on Opened App.
        assertThat(counts.get("properties_dropped").asLong()).isEqualTo(5);
    }

    @Test
    void an_unknown_mode_is_400_naming_the_allowed_values_and_queues_nothing() {
        for (Object bad : new Object[] {"erase", "", 7, true}) {
            GdprClient.Response r = api.createDeletion(owner, body("distinct_ids", List.of("u-1"), "mode", bad));
            assertThat(r.status()).as(String.valueOf(bad)).isEqualTo(400);
            assertThat(r.json().get("status").asText()).isEqualTo("error");
            assertThat(r.error()).contains("mode");
            if (bad instanceof String) {
                assertThat(r.error()).contains("delete, anonymize");
            }
        }
        assertThat(server.app.tasks().countUnfinished(owner.project().id())).isZero();
        assertThat(api.createDeletion(owner, body("distinct_ids", List.of("u-1"), "mode", "AnOnYmIzE")).status()).isEqualTo(201);
    }

    @Test
    void the_verbose_check_says_the_mode_and_the_counts_and_the_plain_one_keeps_mixpanel_s_fields() {
        String id = createdAndDone(body("distinct_ids", List.of("u-1"), "mode", "anonymize"));

        List<String> fields = new ArrayList<>();
        api.checkDeletion(owner, id).results().fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactlyInAnyOrder("tracking_id", "status", "requesting_user", "compliance_type",
                "project_id", "date_requested", "distinct_ids");
        JsonNode verbose = verbose(id);
        assertThat(verbose.get("mode").asText()).isEqualTo("anonymize");
        JsonNode counts = verbose.get("counts");
        assertThat(counts.get("events_anonymized").asLong()).isEqualTo(3);
        assertThat(counts.get("properties_dropped").asLong()).isEqualTo(4);
        assertThat(counts.get("profiles_deleted").asLong()).isEqualTo(1);
        assertThat(counts.get("links_deleted").asLong()).isEqualTo(2);
        assertThat(counts.get("ids_anonymized").asLong()).isEqualTo(3);
        assertThat(counts.has("events_deleted")).isFalse();

        String plain = createdAndDone(GdprClient.ids("other"));
        assertThat(verbose(plain).get("mode").asText()).isEqualTo("delete");
        assertThat(api.call("GET", DELETIONS, owner, null, "&verbose=1").body()).contains("\"mode\":\"anonymize\"");
    }

    @Test
    void an_anonymization_and_a_deletion_of_the_same_ids_are_different_requests() {
        String anonymize = api.createDeletion(owner, body("distinct_ids", List.of("u-1"), "mode", "anonymize")).trackingId();
        assertThat(api.createDeletion(owner, body("distinct_ids", List.of("u-1"), "mode", "anonymize")).trackingId())
                .isEqualTo(anonymize);
        assertThat(api.createDeletion(owner, GdprClient.ids("u-1")).trackingId()).isNotEqualTo(anonymize);
        assertThat(api.createDeletion(owner, body("distinct_ids", List.of("u-1"), "mode", "delete")).trackingId())
                .isNotEqualTo(anonymize);
    }

    private List<EventStore.Row> all() {
        return server.app.events().timeRange(owner.project().id(), Long.MIN_VALUE, Long.MAX_VALUE,
                EventStore.TimePosition.START, 1000);
    }

    private static List<String> summary(List<EventStore.Row> rows) {
        return rows.stream().map(r -> r.event() + "@" + r.timeMs() + "/" + r.receivedAt()).sorted().toList();
    }

    private static JsonNode props(List<EventStore.Row> rows, String event) {
        return Json.readTrusted(rows.stream().filter(r -> r.event().equals(event)).findFirst().orElseThrow().propertiesJson());
    }

    private JsonNode verbose(String id) {
        return api.call("GET", DELETIONS + "/" + id, owner, null, "&verbose=1").results();
    }

    private void drain() {
        while (server.app.engine().runOnce()) {
            // each poll moves one task one step
        }
    }

    private String createdAndDone(String body) {
        GdprClient.Response created = api.createDeletion(owner, body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        drain();
        JsonNode done = verbose(created.trackingId());
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("SUCCESS");
        return created.trackingId();
    }

    private byte[] download(String link) {
        try {
            HttpResponse<byte[]> r = TestHttp.client().send(TestHttp.closing(HttpRequest.newBuilder(URI.create(link))).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(r.statusCode()).isEqualTo(200);
            return r.body();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> unzip(byte[] zip) throws IOException {
        Map<String, String> out = new HashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            LocalFileHeader entry;
            while ((entry = in.getNextEntry()) != null) {
                out.put(entry.getFileName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
