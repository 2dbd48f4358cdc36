package dev.lethe.gdpr;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.json.Json;
import dev.lethe.testing.TestHttp;
import net.lingala.zip4j.io.inputstream.ZipInputStream;
import net.lingala.zip4j.model.LocalFileHeader;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole path a user takes, with nothing replaced: events sent over HTTP the way the SDKs
 * send them, a GDPR request over HTTP, the real task engine and executors, the status polled
 * over HTTP, and the archive downloaded through the signed link.
 */
abstract class GdprEndToEndContract extends LiveGdprTestBase {

    @Test
    void a_person_tracked_under_three_linked_ids_is_retrieved_and_then_deleted_whole() throws IOException {
        trackJson("{\"event\":\"Signed Up\",\"properties\":{\"distinct_id\":\"u-1\",\"$insert_id\":\"a\",\"time\":1795000000}}");
        trackJson("{\"event\":\"$create_alias\",\"properties\":{\"distinct_id\":\"u-1\",\"alias\":\"ann@example.com\"}}");
        trackJson("{\"event\":\"Opened App\",\"properties\":{\"distinct_id\":\"u-1\",\"$device_id\":\"dev-9\",\"$user_id\":\"u-1\","
                + "\"$insert_id\":\"b\",\"time\":1795000100}}");
        trackJson("{\"event\":\"Browsed\",\"properties\":{\"distinct_id\":\"$device:dev-9\",\"$insert_id\":\"c\",\"time\":1795000200}}");
        trackJson("{\"event\":\"Browsed\",\"properties\":{\"distinct_id\":\"other\",\"$insert_id\":\"d\",\"time\":1795000300}}");

        String retrieval = createdAndDone(GdprClient.RETRIEVALS, GdprClient.ids("ann@example.com"));
        JsonNode checked = api.checkRetrieval(owner, retrieval).results();
        Map<String, String> files = unzip(download(checked.get("results").asText()));
        assertThat(files).containsOnlyKeys("manifest.json", "events.jsonl", "profiles.jsonl");
        List<String> ids = new ArrayList<>();
        files.get("events.jsonl").lines().forEach(l -> ids.add(Json.readTrusted(l).get("properties").get("distinct_id").asText()));
        assertThat(ids).containsExactlyInAnyOrder("u-1", "u-1", "$device:dev-9");
        JsonNode manifest = Json.readTrusted(files.get("manifest.json"));
        assertThat(manifest.toString()).contains("ann@example.com", "$device:dev-9", "u-1").doesNotContain("other");

        // why: a request for the device alone would cover only the device (docs/identity.md); the user covers all.
        String deletion = createdAndDone(GdprClient.DELETIONS, GdprClient.ids("u-1"));
        JsonNode verbose = api.call("GET", GdprClient.DELETIONS + "/" + deletion, owner, null, "&verbose=1").results();
        assertThat(verbose.get("status").asText()).isEqualTo("SUCCESS");
        assertThat(server.app.events().count(owner.project().id(), Set.of("u-1", "$device:dev-9", "ann@example.com"))).isZero();
        assertThat(server.app.events().count(owner.project().id(), Set.of("other"))).isEqualTo(1);
        assertThat(server.app.resolver().resolve(owner.project().id(), Set.of("u-1"))).containsExactly("u-1");
        assertThat(server.send(HttpRequest.newBuilder(URI.create(checked.get("results").asText())).GET()).statusCode())
                .as("the earlier archive of the person is gone").isEqualTo(410);
    }

    /** Creates a task over HTTP, runs the real engine until it is idle, and checks the status over HTTP. */
    private String createdAndDone(String path, String body) {
        GdprClient.Response created = api.call("POST", path, owner, body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.trackingId();
        while (server.app.engine().runOnce()) {
            // each poll moves one task one step; the loop ends when nothing is left to do
        }
        JsonNode done = api.call("GET", path + "/" + id, owner, null, "&verbose=1").results();
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("SUCCESS");
        return id;
    }

    private byte[] download(String link) {
        HttpResponse<byte[]> r;
        try {
            r = TestHttp.client().send(TestHttp.closing(HttpRequest.newBuilder(URI.create(link))).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
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
