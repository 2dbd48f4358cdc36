package dev.lethe.gdpr;

import com.fasterxml.jackson.databind.JsonNode;
import com.mixpanel.mixpanelapi.ClientDelivery;
import com.mixpanel.mixpanelapi.MessageBuilder;
import com.mixpanel.mixpanelapi.MixpanelAPI;
import dev.lethe.config.LetheConfig;
import dev.lethe.json.Json;
import net.lingala.zip4j.io.inputstream.ZipInputStream;
import net.lingala.zip4j.model.LocalFileHeader;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the official SDKs and a CDP send for identity (payload shapes replayed from docs/identity.md),
 * checked through the GDPR API: a retrieval of the user holds every event of the person and a
 * deletion leaves none. Then what a caller holding only the public token may not do.
 */
abstract class IdentityFlowsContract extends LiveGdprTestBase {

    private static final String DEVICE = "6fbe88f6-3c1d-4b8e-a2f7-9d0e1c2b3a4f";
    private static final long T = 1_795_000_000L;
    /**
     * The cap on a person's ids, small here: the hub test claims past it, and each claim walks the hub, so at
     * Mixpanel's 500 (the default, {@code IdentityLinkerTest}) that test alone took 9 s a store on a busy machine.
     */
    private static final int CAP = 50;

    @Override
    UnaryOperator<LetheConfig.Builder> config() {
        return b -> b.maxPersonIds(CAP);
    }

    // ---- the SDK and CDP flows ----

    @Test
    void browser_sdk_pre_login_events_join_the_user_for_retrieval_and_deletion() throws IOException {
        browserLogin("webuser-1", DEVICE, "w");

        Archive archive = retrieve("webuser-1");
        assertThat(archive.eventNames()).containsExactlyInAnyOrder("Web Visit", "$identify", "After Login");
        assertThat(archive.profiles()).containsExactly("webuser-1");

        delete("webuser-1");
        assertThat(eventCount("webuser-1", "$device:" + DEVICE, DEVICE)).isZero();
        assertThat(server.app.profiles().get(projectId(), "webuser-1")).isEmpty();
    }

    @Test
    void node_sdk_alias_from_the_anonymous_id_joins_it_to_the_user() throws IOException {
        String anon = "3d9c1f5e-8a7b-4c2d-9e1f-0a1b2c3d4e5f";
        track(event("Landing", anon, "n1"));
        // mixpanel-node: alias(distinct_id, alias) -> track("$create_alias", {distinct_id, alias})
        track(Map.of("event", "$create_alias", "properties", Map.of("token", owner.projectToken(), "distinct_id", anon,
                "alias", "node-user")));
        track(event("Purchased", "node-user", "n2"));

        assertThat(retrieve("node-user").eventNames()).containsExactlyInAnyOrder("Landing", "Purchased");
        delete("node-user");
        assertThat(eventCount(anon, "node-user")).isZero();
    }

    @Test
    void java_sdk_identify_in_either_form_joins_the_anonymous_id() throws Exception {
        String anonA = "aa9c1f5e-8a7b-4c2d-9e1f-0a1b2c3d4e5f";
        String anonB = "bb9c1f5e-8a7b-4c2d-9e1f-0a1b2c3d4e5f";
        MessageBuilder messages = new MessageBuilder(owner.projectToken());
        ClientDelivery delivery = new ClientDelivery();
        delivery.addMessage(messages.event(anonA, "Viewed", null));
        delivery.addMessage(messages.event(anonB, "Viewed", null));
        // the documented HTTP form ($identified_id/$anon_id) and the SDKs' form ($anon_distinct_id)
        delivery.addMessage(messages.event("java-user", "$identify",
                new JSONObject().put("$identified_id", "java-user").put("$anon_id", anonA)));
        delivery.addMessage(messages.event("java-user", "$identify", new JSONObject().put("$anon_distinct_id", anonB)));
        delivery.addMessage(messages.event("java-user", "Bought", null));
        String base = server.baseUrl();
        try (MixpanelAPI sdk = new MixpanelAPI(base + "/track", base + "/engage", base + "/groups", base + "/import", false)) {
            sdk.deliver(delivery);
        }

        assertThat(retrieve("java-user").eventNames()).containsExactlyInAnyOrder("Viewed", "Viewed", "$identify", "$identify",
                "Bought");
        delete("java-user");
        assertThat(eventCount(anonA, anonB, "java-user")).isZero();
    }

    @Test
    void cdp_original_id_merge_through_import_with_the_project_token() throws IOException {
        String anon = "c0ffee00-8a7b-4c2d-9e1f-0a1b2c3d4e5f";
        track(event("Page", anon, "c1"), event("Screen", anon, "c2"));
        track(event("Order", "cdp-user", "c3"), event("Order", "cdp-user", "c4"), event("Order", "cdp-user", "c5"));

        // identify after anonymous activity: no distinct_id, time or $insert_id
        HttpResponse<String> merged = importJson("/import/?strict=0", basic(owner.projectToken()),
                List.of(Map.of("event", "$merge", "properties",
                        Map.of("$distinct_ids", List.of("cdp-user", anon), "token", owner.projectToken()))));
        assertThat(merged.statusCode()).as(merged.body()).isEqualTo(200);
        assertThat(Json.readTrusted(merged.body())).isEqualTo(Json.readTrusted(
                "{\"code\":200,\"num_records_imported\":1,\"status\":\"OK\"}"));
        // alias: no time
        HttpResponse<String> aliased = importJson("/import?strict=1", basic(owner.projectToken()),
                List.of(Map.of("event", "$create_alias", "properties",
                        Map.of("distinct_id", "cdp-user", "alias", "cdp-user@example.com", "token", owner.projectToken()))));
        assertThat(aliased.statusCode()).as(aliased.body()).isEqualTo(200);
        assertThat(eventCount(anon, "cdp-user", "cdp-user@example.com")).as("instructions are not events").isEqualTo(5);

        assertThat(retrieve("cdp-user@example.com").eventNames()).hasSize(5);
        delete("cdp-user");
        assertThat(eventCount(anon, "cdp-user")).isZero();
    }

    @Test
    void cdp_simplified_id_merge_links_device_and_user() throws IOException {
        String anon = "5e11f00d-8a7b-4c2d-9e1f-0a1b2c3d4e5f";
        track(Map.of("event", "Page", "properties", props("$device:" + anon, "s1", "$device_id", anon)));
        track(Map.of("event", "Identified", "properties", props("cdp-user", "s2", "$device_id", anon, "$user_id", "cdp-user")));
        track(Map.of("event", "Order", "properties", props("cdp-user", "s3", "$user_id", "cdp-user")));

        assertThat(retrieve("cdp-user").eventNames()).containsExactlyInAnyOrder("Page", "Identified", "Order");
        delete("cdp-user");
        assertThat(eventCount("$device:" + anon, "cdp-user")).isZero();
    }

    @Test
    void merge_with_the_api_secret_joins_two_identified_people_and_with_the_token_does_not() throws IOException {
        track(event("A", "user-a", "m1"), event("B", "user-b", "m2"), event("C", "user-c", "m3"));
        List<Object> merge = List.of(Map.of("event", "$merge", "properties", Map.of("$distinct_ids", List.of("user-a", "user-b"))));
        List<Object> mergeC = List.of(Map.of("event", "$merge", "properties", Map.of("$distinct_ids", List.of("user-a", "user-c"))));

        HttpResponse<String> withToken = importJson("/import?strict=1", basic(owner.projectToken()), mergeC);
        assertThat(withToken.statusCode()).as("counted as imported, the link is refused").isEqualTo(200);
        assertThat(track(Map.of("event", "$merge", "properties",
                Map.of("token", owner.projectToken(), "$distinct_ids", List.of("user-a", "user-c"))))).isEqualTo("1");
        HttpResponse<String> withSecret = importJson("/import?strict=1", basic(apiSecret()), merge);
        assertThat(withSecret.statusCode()).isEqualTo(200);

        assertThat(server.app.resolver().resolve(projectId(), List.of("user-a"))).containsExactly("user-a", "user-b");
        assertThat(retrieve("user-b").eventNames()).containsExactlyInAnyOrder("A", "B");
    }

    // ---- what the public token may not do ----

    @Test
    void a_public_token_caller_cannot_join_their_id_to_an_identified_victim() throws IOException {
        browserLogin("victim-1", DEVICE, "v");
        track(event("Mine", "attacker-1", "a1"));
        String attackerDevice = "$device:a77ac4e5-8a7b-4c2d-9e1f-0a1b2c3d4e5f";
        String t = owner.projectToken();
        track(Map.of("event", "$create_alias", "properties", Map.of("token", t, "distinct_id", "victim-1", "alias", "attacker-1")));
        track(Map.of("event", "$create_alias", "properties", Map.of("token", t, "distinct_id", "attacker-1", "alias", "victim-1")));
        track(Map.of("event", "$identify", "properties", props("victim-1", "a2", "$anon_distinct_id", "attacker-1")));
        track(Map.of("event", "$identify", "properties", props("attacker-1", "a3", "$anon_distinct_id", "victim-1")));
        track(Map.of("event", "$identify", "properties", props("attacker-1", "a4", "$anon_distinct_id", "$device:" + DEVICE)));
        track(Map.of("event", "Stolen", "properties", props("attacker-1", "a5", "$device_id", DEVICE, "$user_id", "attacker-1")));
        track(Map.of("event", "Stolen", "properties", props("attacker-1", "a6", "$device_id", "victim-1", "$user_id", "attacker-1")));
        track(Map.of("event", "$merge", "properties", Map.of("token", t, "$distinct_ids", List.of("attacker-1", "victim-1"))));
        importJson("/import", basic(t), List.of(Map.of("event", "$merge", "properties",
                Map.of("$distinct_ids", List.of("victim-1", "attacker-1")))));
        // an anonymous id of the attacker may join the victim (a browser can), but covers only itself
        track(Map.of("event", "$identify", "properties", props("victim-1", "a7", "$anon_distinct_id", attackerDevice)));

        for (String id : List.of("attacker-1", attackerDevice)) {
            Archive archive = retrieve(id);
            assertThat(archive.distinctIds()).as("retrieval for %s", id).doesNotContain("victim-1", "$device:" + DEVICE);
            assertThat(archive.profiles()).doesNotContain("victim-1");
        }
        delete("attacker-1", attackerDevice);
        // why: the victim's 3 events, and 2 $identify events the attacker wrote under the victim's id (the token allows that)
        assertThat(server.app.events().count(projectId(), Set.of("victim-1", "$device:" + DEVICE))).isEqualTo(5);
        assertThat(server.app.profiles().get(projectId(), "victim-1")).isPresent();
        assertThat(server.app.resolver().resolve(projectId(), List.of("victim-1")))
                .containsExactlyInAnyOrder("victim-1", "$device:" + DEVICE, DEVICE);
    }

    @Test
    void a_uuid_user_id_with_a_profile_is_not_taken_for_an_anonymous_id() throws IOException {
        String user = "3f2b8c1e-9a4d-4e7b-8c2a-1d5e6f7a8b9c";
        String t = owner.projectToken();
        track(event("Order", user, "u1"));
        String engage = Json.write(List.of(Map.of("$token", t, "$distinct_id", user, "$set", Map.of("$email", "v@example.com"))));
        assertThat(server.postForm("/engage/", "data=" + base64(engage)).body()).isEqualTo("1");
        track(Map.of("event", "$identify", "properties", props("mallory-1", "a1", "$anon_id", user)));
        track(Map.of("event", "Stolen", "properties", props("mallory-2", "a2", "$device_id", user, "$user_id", "mallory-2")));
        track(Map.of("event", "$merge", "properties", Map.of("token", t, "$distinct_ids", List.of("mallory-3", user))));

        for (String id : List.of("mallory-1", "mallory-2", "mallory-3")) {
            Archive archive = retrieve(id);
            assertThat(archive.distinctIds()).as("retrieval for %s", id).doesNotContain(user);
            assertThat(archive.profiles()).as("retrieval for %s", id).doesNotContain(user);
        }
        delete("mallory-1", "mallory-2", "mallory-3");
        assertThat(eventCount(user)).isEqualTo(1);
        assertThat(server.app.profiles().get(projectId(), user)).isPresent();

        // the token may delete the profile, but the id stays a user id
        String delete = Json.write(List.of(Map.of("$token", t, "$distinct_id", user, "$delete", "")));
        assertThat(server.postForm("/engage/", "data=" + base64(delete)).body()).isEqualTo("1");
        assertThat(server.app.profiles().get(projectId(), user)).isEmpty();
        track(Map.of("event", "$identify", "properties", props("mallory-5", "a5", "$anon_id", user)));
        track(Map.of("event", "$merge", "properties", Map.of("token", t, "$distinct_ids", List.of("mallory-6", user))));
        for (String id : List.of("mallory-5", "mallory-6")) {
            assertThat(retrieve(id).distinctIds()).as("retrieval for %s", id).doesNotContain(user);
        }
    }

    @Test
    void a_hub_of_anonymous_ids_stops_at_the_cap_and_cannot_block_the_victims_deletion() throws IOException {
        browserLogin("victim-1", DEVICE, "v");
        List<Object> claims = new ArrayList<>();
        int claimed = CAP + 100;
        for (int i = 0; i < claimed; i++) {
            claims.add(Map.of("event", "$identify", "properties",
                    props("hub", "h" + i, "$anon_distinct_id", String.format("$device:%08x-0000-4000-8000-000000000000", i))));
        }
        track(claims.subList(0, claimed / 2).toArray());
        track(claims.subList(claimed / 2, claimed).toArray());
        assertThat(server.app.resolver().resolve(projectId(), List.of("hub"))).hasSize(CAP);
        track(Map.of("event", "$identify", "properties", props("hub", "x1", "$anon_distinct_id", "$device:" + DEVICE)));
        track(Map.of("event", "$merge", "properties", Map.of("token", owner.projectToken(), "$distinct_ids", List.of("hub", "victim-1"))));
        track(Map.of("event", "$identify", "properties", props("victim-1", "x2", "$anon_distinct_id", "hub")));

        delete("victim-1");
        assertThat(eventCount("victim-1", "$device:" + DEVICE)).isZero();
        assertThat(eventCount("hub")).as("the hub is someone else").isEqualTo(claimed + 1);
    }

    // ---- the browser flow, as mixpanel-browser sends it ----

    /** track("Web Visit"), identify(user), people.set, track("After Login"): the payloads of issue #15. */
    private void browserLogin(String user, String device, String prefix) {
        String anon = "$device:" + device;
        track(Map.of("event", "Web Visit", "properties", props(anon, prefix + "1", "$device_id", device, "mp_lib", "web")));
        track(Map.of("event", "$identify", "properties", props(user, prefix + "2", "$device_id", device, "$user_id", user,
                "$anon_distinct_id", anon, "mp_lib", "web")));
        String engage = Json.write(List.of(Map.of("$token", owner.projectToken(), "$distinct_id", user, "$device_id", device,
                "$user_id", user, "$set", Map.of("$email", user + "@example.com"))));
        assertThat(server.postForm("/engage/", "data=" + base64(engage)).body()).isEqualTo("1");
        track(Map.of("event", "After Login", "properties", props(user, prefix + "3", "$device_id", device, "$user_id", user,
                "mp_lib", "web")));
    }

    // ---- helpers ----

    private long projectId() {
        return owner.project().id();
    }

    private String apiSecret() {
        return server.app.projects().apiSecret(projectId());
    }

    private Map<String, Object> props(String distinctId, String insertId, Object... more) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("token", owner.projectToken());
        p.put("distinct_id", distinctId);
        p.put("time", T + Math.abs(insertId.hashCode() % 1000));
        p.put("$insert_id", insertId);
        for (int i = 0; i < more.length; i += 2) {
            p.put((String) more[i], more[i + 1]);
        }
        return p;
    }

    private Map<String, Object> event(String name, String distinctId, String insertId) {
        return Map.of("event", name, "properties", props(distinctId, insertId));
    }

    private String track(Object... events) {
        HttpResponse<String> r = server.postForm("/track/", "data=" + base64(Json.write(List.of(events))));
        assertThat(r.body()).as(r.toString()).isEqualTo("1");
        return r.body();
    }

    private HttpResponse<String> importJson(String path, String authorization, List<Object> records) {
        return server.send(HttpRequest.newBuilder(server.uri(path)).header("Content-Type", "application/json")
                .header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(records))));
    }

    private static String basic(String user) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":").getBytes(StandardCharsets.UTF_8));
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private long eventCount(String... ids) {
        return server.app.events().count(projectId(), Set.of(ids));
    }

    private record Archive(List<JsonNode> events, List<JsonNode> profileRows) {
        List<String> eventNames() {
            return events.stream().map(e -> e.get("event").asText()).toList();
        }

        List<String> distinctIds() {
            return events.stream().map(e -> e.get("properties").get("distinct_id").asText()).toList();
        }

        List<String> profiles() {
            return profileRows.stream().map(p -> p.get("$distinct_id").asText()).toList();
        }
    }

    private Archive retrieve(String... ids) throws IOException {
        String id = done(GdprClient.RETRIEVALS, GdprClient.ids(ids));
        String link = api.checkRetrieval(owner, id).results().get("results").asText();
        HttpResponse<byte[]> r;
        try {
            r = java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(link)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> files = new HashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(r.body()))) {
            LocalFileHeader entry;
            while ((entry = in.getNextEntry()) != null) {
                files.put(entry.getFileName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return new Archive(files.get("events.jsonl").lines().map(Json::readTrusted).toList(),
                files.get("profiles.jsonl").lines().map(Json::readTrusted).toList());
    }

    private void delete(String... ids) {
        done(GdprClient.DELETIONS, GdprClient.ids(ids));
    }

    private String done(String path, String body) {
        GdprClient.Response created = api.call("POST", path, owner, body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.trackingId();
        while (server.app.engine().runOnce()) {
            // each poll moves one task one step
        }
        JsonNode done = api.call("GET", path + "/" + id, owner, null, "&verbose=1").results();
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("SUCCESS");
        return id;
    }
}
