package dev.lethe.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.json.Json;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** /groups: group profiles by key and id, the /engage operations on them, and batches checked update by update. */
abstract class GroupsContract extends IngestTestBase {

    private ObjectNode update(String key, String id, String operation, String valueJson) {
        ObjectNode u = Json.object();
        u.put("$token", token);
        u.put("$group_key", key);
        u.put("$group_id", id);
        u.set(operation, Json.readTrusted(valueJson));
        return u;
    }

    private HttpResponse<String> groups(String query, ObjectNode... updates) {
        var array = Json.MAPPER.createArrayNode();
        for (ObjectNode u : updates) {
            array.add(u);
        }
        return post("/groups" + query, "application/json", Json.write(array).getBytes(StandardCharsets.UTF_8));
    }

    private JsonNode group(String key, String id) {
        return server.app.groups().get(projectId(), key, id).orElse(null);
    }

    @Test
    void set_and_set_once_as_mixpanels_example_sends_them() {
        HttpResponse<String> r = groups("", update("Company", "Mixpanel", "$set", "{\"Address\":\"1313 Mockingbird Lane\"}"),
                update("Company", "Wayne Enterprises", "$set_once", "{\"Address\":\"Wayne Tower, Gotham City\"}"),
                update("Company", "Wayne Enterprises", "$set_once", "{\"Address\":\"elsewhere\",\"Founded\":1939}"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("1");
        assertThat(group("Company", "Mixpanel")).isEqualTo(Json.readTrusted("{\"Address\":\"1313 Mockingbird Lane\"}"));
        assertThat(group("Company", "Wayne Enterprises"))
                .isEqualTo(Json.readTrusted("{\"Address\":\"Wayne Tower, Gotham City\",\"Founded\":1939}"));
    }

    @Test
    void union_remove_unset_and_delete() {
        groups("", update("Company", "Acme", "$union", "{\"tags\":[\"a\",\"b\"]}"),
                update("Company", "Acme", "$union", "{\"tags\":[\"b\",\"c\"]}"),
                update("Company", "Acme", "$remove", "{\"tags\":\"a\"}"),
                update("Company", "Acme", "$set", "{\"plan\":\"pro\",\"size\":5}"),
                update("Company", "Acme", "$unset", "[\"size\"]"));
        assertThat(group("Company", "Acme")).isEqualTo(Json.readTrusted("{\"tags\":[\"b\",\"c\"],\"plan\":\"pro\"}"));
        assertThat(groups("?verbose=1", update("Company", "Acme", "$delete", "\"\"")).body()).isEqualTo("{\"status\":1,\"error\":null}");
        assertThat(group("Company", "Acme")).isNull();
    }

    @Test
    void a_group_id_equal_to_a_person_id_is_not_that_persons_profile() {
        groups("", update("Company", "u1", "$set", "{\"plan\":\"pro\"}"));
        assertThat(server.app.profiles().get(projectId(), "u1")).isEmpty();
        assertThat(rows("profiles")).isZero();
        assertThat(rows("group_profiles")).isEqualTo(1);
    }

    @Test
    void a_batch_with_bad_updates_applies_the_others_and_lists_the_failures() {
        ObjectNode noKey = update("Company", "Acme", "$set", "{\"a\":1}");
        noKey.remove("$group_key");
        HttpResponse<String> r = groups("?strict=1", update("Company", "Acme", "$set", "{\"a\":1}"), noKey,
                update("Company", "Wayne", "$add", "{\"n\":1}"), update("Company", "Wayne", "$set", "{\"b\":2}"));
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode answer = json(r);
        assertThat(answer.get("status").asInt()).isZero();
        assertThat(answer.get("num_good_events").asInt()).isEqualTo(2);
        assertThat(answer.get("failed_records")).isEqualTo(Json.readTrusted("["
                + "{\"index\":1,\"$group_id\":\"Acme\",\"field\":\"$group_key\",\"message\":\"$group_key is missing or empty\"},"
                + "{\"index\":2,\"$group_id\":\"Wayne\",\"field\":\"operation\","
                + "\"message\":\"an update needs one of $set, $set_once, $unset, $remove, $union, $delete\"}]"));
        assertThat(group("Company", "Acme")).isEqualTo(Json.readTrusted("{\"a\":1}"));
        assertThat(group("Company", "Wayne")).isEqualTo(Json.readTrusted("{\"b\":2}"));
    }

    @Test
    void the_legacy_form_with_data_is_accepted() {
        String data = base64(Json.write(update("Company", "Acme", "$set", "{\"a\":1}")));
        assertThat(server.postForm("/groups", "data=" + data).body()).isEqualTo("1");
        assertThat(server.get("/groups?data=" + data.replace("=", "%3D") + "&verbose=1").body()).isEqualTo("{\"status\":1,\"error\":null}");
        assertThat(group("Company", "Acme")).isEqualTo(Json.readTrusted("{\"a\":1}"));
    }

    @Test
    void refusals_keep_their_status_and_store_nothing() {
        ObjectNode noId = update("Company", "Acme", "$set", "{\"a\":1}");
        noId.remove("$group_id");
        HttpResponse<String> bad = groups("?verbose=1", noId);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).get("error").asText()).isEqualTo("$group_id is missing or empty");
        assertThat(groups("", update("Company", "Acme", "$set", "{}").put("$token", "unknown")).statusCode()).isEqualTo(401);
        assertThat(post("/groups", "application/json", "[{".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(400);
        assertNothingStored();
    }
}
