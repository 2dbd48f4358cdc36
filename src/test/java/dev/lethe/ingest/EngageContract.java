package dev.lethe.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.json.Json;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** /engage: every operation, batches checked update by update, and refusals. */
abstract class EngageContract extends IngestTestBase {

    private ObjectNode update(String distinctId, String operation, String valueJson) {
        ObjectNode u = Json.object();
        u.put("$token", token);
        u.put("$distinct_id", distinctId);
        u.set(operation, Json.readTrusted(valueJson));
        return u;
    }

    private HttpResponse<String> engage(ObjectNode... updates) {
        var array = Json.MAPPER.createArrayNode();
        for (ObjectNode u : updates) {
            array.add(u);
        }
        return server.postForm("/engage/", "data=" + base64(Json.write(array)));
    }

    private JsonNode profile(String distinctId) {
        return server.app.profiles().get(projectId(), distinctId).orElse(null);
    }

    @Test
    void set_and_set_once() {
        assertThat(engage(update("u1", "$set", "{\"name\":\"Ann\",\"plan\":\"free\"}"),
                update("u1", "$set_once", "{\"plan\":\"pro\",\"first_seen\":\"2026-01-01\"}")).body()).isEqualTo("1");
        assertThat(profile("u1")).isEqualTo(Json.readTrusted("{\"name\":\"Ann\",\"plan\":\"free\",\"first_seen\":\"2026-01-01\"}"));
    }

    @Test
    void add_counts_from_zero_and_keeps_integers() {
        engage(update("u1", "$add", "{\"logins\":1}"), update("u1", "$add", "{\"logins\":2,\"spent\":1.5}"));
        assertThat(profile("u1").get("logins").isIntegralNumber()).isTrue();
        assertThat(profile("u1").get("logins").asLong()).isEqualTo(3);
        assertThat(profile("u1").get("spent").asDouble()).isEqualTo(1.5);
    }

    @Test
    void add_goes_on_as_a_double_past_a_long_and_refuses_only_what_no_double_holds() {
        engage(update("u1", "$add", "{\"n\":9223372036854775807,\"d\":1e308,\"k\":1}"));
        assertThat(engage(update("u1", "$add", "{\"n\":1}")).statusCode()).isEqualTo(200);
        assertThat(profile("u1").get("n").isDouble()).as("no wrap round to a negative long").isTrue();
        assertThat(profile("u1").get("n").asDouble()).isEqualTo(9.223372036854775808E18);
        // what JSON.stringify writes for 2^63 and beyond, up to 1e21
        assertThat(engage(update("u1", "$add", "{\"k\":123456789012345678901234567890}")).statusCode()).isEqualTo(200);
        assertThat(profile("u1").get("k").asDouble()).isEqualTo(1.2345678901234568E29);

        HttpResponse<String> infinite = server.postForm("/engage?verbose=1", "data=" + base64(Json.write(update("u1", "$add", "{\"d\":1e308}"))));
        assertThat(infinite.statusCode()).isEqualTo(400);
        assertThat(json(infinite).get("error").asText()).startsWith("$add would take d past the largest number");
        assertThat(profile("u1").get("d").asDouble()).as("the refused update changed nothing").isEqualTo(1e308);
        engage(update("u1", "$add", "{\"i\":2}"));
        assertThat(profile("u1").get("i").isIntegralNumber()).as("whole numbers stay exact within a long").isTrue();
    }

    @Test
    void union_append_and_remove_work_on_lists() {
        engage(update("u1", "$union", "{\"tags\":[\"a\",\"b\"]}"), update("u1", "$union", "{\"tags\":[\"b\",\"c\"]}"),
                update("u1", "$append", "{\"tags\":\"a\"}"), update("u1", "$remove", "{\"tags\":\"b\"}"));
        assertThat(profile("u1").get("tags")).isEqualTo(Json.readTrusted("[\"a\",\"c\",\"a\"]"));
    }

    @Test
    void unset_removes_properties_and_delete_removes_the_profile() {
        engage(update("u1", "$set", "{\"a\":1,\"b\":2}"), update("u1", "$unset", "[\"a\"]"));
        assertThat(profile("u1")).isEqualTo(Json.readTrusted("{\"b\":2}"));
        engage(update("u1", "$delete", "\"\""));
        assertThat(profile("u1")).isNull();
    }

    @Test
    void a_single_update_object_and_get_with_query_data_work() {
        String data = base64(Json.write(update("u1", "$set", "{\"a\":1}")));
        assertThat(server.get("/engage?data=" + data + "&verbose=1").body()).isEqualTo("{\"status\":1,\"error\":null}");
        assertThat(profile("u1").get("a").asInt()).isEqualTo(1);
    }

    @Test
    void an_update_with_two_operations_is_refused() {
        ObjectNode u = update("u1", "$set", "{\"a\":1}");
        u.set("$unset", Json.readTrusted("[\"b\"]"));
        HttpResponse<String> r = engage(u);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("0");
    }

    @Test
    void a_batch_with_a_bad_update_applies_the_others_and_answers_0_with_200() {
        HttpResponse<String> r = engage(update("u1", "$set", "{\"a\":1}"), update("u2", "$add", "{\"n\":\"x\"}"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("0");
        assertThat(profile("u1").get("a").asInt()).isEqualTo(1);
        assertThat(profile("u2")).isNull();
    }

    @Test
    void verbose_or_strict_lists_the_failed_updates_and_counts_the_applied_ones() {
        String data = "data=" + base64(Json.write(Json.MAPPER.createArrayNode().add(update("u1", "$set", "{\"a\":1}"))
                .add(update("u2", "$add", "{\"n\":\"x\"}")).add(update("u3", "$unset", "[\"a\"]"))));
        for (String query : new String[] {"?verbose=1", "?strict=1"}) {
            HttpResponse<String> r = server.postForm("/engage" + query, data);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(json(r)).isEqualTo(Json.readTrusted("{\"status\":0,"
                    + "\"error\":\"1 of 3 updates failed validation and were not applied (2 were); record 1: $add takes numbers\","
                    + "\"num_good_events\":2,"
                    + "\"failed_records\":[{\"index\":1,\"$distinct_id\":\"u2\",\"field\":\"$add\",\"message\":\"$add takes numbers\"}]}"));
        }
        assertThat(rows("profiles")).isEqualTo(2);
    }

    @Test
    void a_batch_of_which_nothing_can_be_applied_is_refused_with_the_status_of_its_cause() {
        HttpResponse<String> r = server.postForm("/engage?verbose=1", "data=" + base64(Json.write(
                Json.MAPPER.createArrayNode().add(update("u2", "$add", "{\"n\":\"x\"}")).add(update("u3", "$union", "{\"n\":1}")))));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("error").asText()).isEqualTo("record 0: $add takes numbers");
        assertNothingStored();
    }

    @Test
    void an_update_with_an_unknown_token_fails_alone() {
        HttpResponse<String> r = engage(update("u1", "$set", "{\"a\":1}"), update("u2", "$set", "{\"a\":2}").put("$token", "unknown"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("0");
        assertThat(profile("u1")).isNotNull();
        assertThat(profile("u2")).isNull();
    }

    @Test
    void missing_token_distinct_id_or_operation_is_refused() {
        ObjectNode noToken = update("u1", "$set", "{\"a\":1}");
        noToken.remove("$token");
        ObjectNode noId = update("u1", "$set", "{\"a\":1}");
        noId.remove("$distinct_id");
        ObjectNode noOp = update("u1", "$set", "{\"a\":1}");
        noOp.remove("$set");
        for (ObjectNode bad : new ObjectNode[] {noToken, noId, noOp}) {
            assertThat(engage(bad).statusCode()).isEqualTo(400);
        }
        assertThat(engage(update("u1", "$set", "{}").put("$token", "unknown")).statusCode()).isEqualTo(401);
        assertNothingStored();
    }
}
