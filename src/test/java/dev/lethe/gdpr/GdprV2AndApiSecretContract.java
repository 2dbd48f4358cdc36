package dev.lethe.gdpr;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.config.LetheConfig;
import dev.lethe.json.Json;
import dev.lethe.project.ProjectStore;
import dev.lethe.project.Region;
import dev.lethe.testing.StoreFixture;
import dev.lethe.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What older and simpler GDPR clients send: Mixpanel's v2.0 routes (one {@code distinct_id} for a retrieval,
 * {@code task_id} answers, {@code result} for the link, the token possibly in the body), and the project's
 * {@code api_secret} as HTTP Basic, which acts for its own project only and can be turned off.
 */
abstract class GdprV2AndApiSecretContract {

    abstract StoreFixture store();

    @TempDir
    Path tmp;
    TestServer server;
    Caller owner;
    ProjectStore.Created project;

    private void start(UnaryOperator<LetheConfig.Builder> config) {
        server = TestServer.start(store(), tmp, config);
        project = server.app.projects().create("shop", Region.US);
        owner = Caller.user(server, project.project(), dev.lethe.auth.Role.OWNER);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void a_v2_deletion_is_created_checked_run_and_its_twin_cancelled_in_v2_shapes() {
        start(b -> b);
        HttpResponse<String> created = send("POST", "/api/app/data-deletions/v2.0?token=" + project.project().token(),
                owner.authorization(), "{\"distinct_ids\":[\"alice\"]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = Json.readTrusted(created.body()).at("/results/task_id").asText();
        assertThat(created.body()).isEqualTo("{\"results\":{\"task_id\":\"" + id + "\"}}");

        HttpResponse<String> pending = send("GET", "/api/app/data-deletions/v2.0/" + id + "?token=" + project.project().token(),
                owner.authorization(), null);
        assertThat(pending.body()).isEqualTo("{\"results\":{\"status\":\"PENDING\"}}");
        assertThat(server.app.tasks().byTrackingId(id).orElseThrow().distinctIds()).containsExactly("alice");

        HttpResponse<String> other = send("POST", "/api/app/data-deletions/v2.0?token=" + project.project().token(),
                owner.authorization(), "{\"distinct_ids\":[\"bob\"]}");
        String twin = Json.readTrusted(other.body()).at("/results/task_id").asText();
        assertThat(send("DELETE", "/api/app/data-deletions/v2.0/" + twin + "?token=" + project.project().token(),
                owner.authorization(), null).statusCode()).isEqualTo(204);
        assertThat(send("GET", "/api/app/data-deletions/v2.0/" + twin + "?token=" + project.project().token(),
                owner.authorization(), null).body()).isEqualTo("{\"results\":{\"status\":\"REVOKED\"}}");
    }

    @Test
    void a_v2_retrieval_takes_one_distinct_id_and_the_token_in_the_body_and_answers_result_with_the_link() {
        start(b -> b);
        HttpResponse<String> created = send("POST", "/api/app/data-retrievals/v2.0", owner.authorization(),
                "{\"distinct_id\":\"alice\",\"token\":\"" + project.project().token() + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = Json.readTrusted(created.body()).at("/results/task_id").asText();
        assertThat(server.app.tasks().byTrackingId(id).orElseThrow().distinctIds()).containsExactly("alice");
        JsonNode pending = Json.readTrusted(send("GET", "/api/app/data-retrievals/v2.0/" + id + "?token=" + project.project().token(),
                owner.authorization(), null).body());
        assertThat(pending.toString()).isEqualTo("{\"results\":{\"status\":\"PENDING\",\"result\":null}}");

        while (server.app.engine().runOnce()) {
            // the real executors, one step a poll
        }
        JsonNode done = Json.readTrusted(send("GET", "/api/app/data-retrievals/v2.0/" + id + "?token=" + project.project().token(),
                owner.authorization(), null).body()).get("results");
        assertThat(done.get("status").asText()).isEqualTo("SUCCESS");
        assertThat(done.get("result").asText()).startsWith(server.app.baseUrl() + "/downloads/" + id + ".zip?");
        assertThat(server.send(HttpRequest.newBuilder(java.net.URI.create(done.get("result").asText())).GET()).statusCode())
                .isEqualTo(200);
    }

    @Test
    void malformed_v2_bodies_are_refused_with_a_json_error() {
        start(b -> b);
        String url = "/api/app/data-retrievals/v2.0?token=" + project.project().token();
        assertThat(send("POST", url, owner.authorization(), "{\"distinct_id\":7}").body())
                .isEqualTo("{\"status\":\"error\",\"error\":\"distinct_id must be a string\"}");
        assertThat(send("POST", url, owner.authorization(), "{\"distinct_id\":\"a\",\"distinct_ids\":[\"b\"]}").body())
                .isEqualTo("{\"status\":\"error\",\"error\":\"give distinct_id or distinct_ids, not both\"}");
        assertThat(send("POST", url, owner.authorization(), "[1]").statusCode()).isEqualTo(400);
    }

    @Test
    void the_api_secret_acts_for_its_own_project_as_owner_with_or_without_the_colon() {
        start(b -> b);
        String token = project.project().token();
        HttpResponse<String> colon = send("POST", "/api/app/data-deletions/v3.0?token=" + token, basic(project.apiSecret() + ":"),
                "{\"distinct_ids\":[\"alice\"]}");
        assertThat(colon.statusCode()).as(colon.body()).isEqualTo(201);
        String id = Json.readTrusted(colon.body()).at("/results/tracking_id").asText();
        JsonNode checked = Json.readTrusted(send("GET", "/api/app/data-deletions/v3.0/" + id + "?token=" + token,
                basic(project.apiSecret()), null).body()).get("results");
        assertThat(checked.get("requesting_user").asText()).isEqualTo("api_secret of project " + project.project().id());

        ProjectStore.Created other = server.app.projects().create("other", Region.US);
        assertThat(send("GET", "/api/app/data-deletions/v3.0?token=" + other.project().token(), basic(project.apiSecret() + ":"), null)
                .statusCode()).as("another project's token").isEqualTo(403);
        assertThat(send("GET", "/api/app/data-deletions/v3.0?token=" + token, basic("not-a-secret:"), null).statusCode())
                .isEqualTo(401);
    }

    @Test
    void an_operator_can_turn_api_secrets_off() {
        start(b -> b.gdprApiSecrets(false));
        HttpResponse<String> refused = send("GET", "/api/app/data-deletions/v3.0?token=" + project.project().token(),
                basic(project.apiSecret() + ":"), null);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).isEqualTo("{\"status\":\"error\",\"error\":\"unknown service account or wrong secret "
                + "(this instance does not take api_secrets on the GDPR API)\"}");
    }

    private static String basic(String userColonPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userColonPassword.getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> send(String method, String path, String authorization, String body) {
        HttpRequest.Builder r = HttpRequest.newBuilder(server.uri(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", authorization);
        if (body != null) {
            r.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = server.send(r);
        // why: every answer, v2.0's included, must be one the OpenAPI document describes.
        String template = path.replaceFirst("\\?.*$", "")
                .replaceFirst("^(/api/app/data-(?:deletions|retrievals)/v[23]\\.0)/[^/]+", "$1/{tracking_id}");
        OpenApiSpec.assertDescribes(method, template, response);
        return response;
    }
}
