package dev.lethe.query;

import dev.lethe.auth.Role;
import dev.lethe.config.LetheConfig;
import dev.lethe.ratelimit.ReadQuota;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/** The credentials the read APIs accept, the roles that may read, their rate limits, and the connection-check endpoints. */
abstract class ReadAuthContract extends ReadApiTestBase {

    static final String EXPORT = "/api/2.0/export?from_date=2026-11-01&to_date=2026-11-01";

    @Override
    UnaryOperator<LetheConfig.Builder> config() {
        return b -> b.exportRateLimit(1).queryRateLimit(1000)
                .exportQuota(new ReadQuota(5, 1)).queryQuota(new ReadQuota(0, 1));
    }

    @Test
    void the_api_secret_reads_with_an_empty_password_or_alone() {
        assertThat(get("/api/2.0/engage", basic(project.apiSecret() + ":")).statusCode()).isEqualTo(200);
        String bare = "Basic " + Base64.getEncoder().encodeToString(project.apiSecret().getBytes(StandardCharsets.UTF_8));
        assertThat(get("/api/2.0/engage", bare).statusCode()).isEqualTo(200);
        assertThat(get("/api/2.0/engage?project_id=" + projectId(), bare).statusCode()).isEqualTo(200);
    }

    @Test
    void an_analyst_service_account_reads_with_project_id_and_a_consumer_may_not() {
        String analyst = serviceAccount(Role.ANALYST);
        assertThat(get("/api/2.0/engage?project_id=" + projectId(), analyst).statusCode()).isEqualTo(200);
        HttpResponse<String> noProject = described("GET", "/api/2.0/engage", get("/api/2.0/engage", analyst));
        assertThat(noProject.statusCode()).isEqualTo(400);
        assertThat(json(noProject).get("error").asText()).contains("project_id");
        String consumer = serviceAccount(Role.CONSUMER);
        HttpResponse<String> refused = described("GET", "/api/2.0/export", get(EXPORT + "&project_id=" + projectId(), consumer));
        assertThat(refused.statusCode()).isEqualTo(403);
    }

    @Test
    void a_service_account_in_plain_text_is_accepted_as_mixpanel_does() {
        var created = server.app.serviceAccounts().create("plain", projectId(), Role.OWNER);
        String plain = "Basic " + created.username() + ":" + created.secret();
        assertThat(get("/api/2.0/engage?project_id=" + projectId(), plain).statusCode()).isEqualTo(200);
    }

    @Test
    void missing_or_wrong_credentials_are_401_and_another_projects_id_is_403() {
        assertThat(described("GET", "/api/2.0/engage", get("/api/2.0/engage", null)).statusCode()).isEqualTo(401);
        assertThat(get("/api/2.0/engage", basic("not-the-secret:")).statusCode()).isEqualTo(401);
        assertThat(get("/api/2.0/engage", "Bearer abc").statusCode()).isEqualTo(401);
        assertThat(get("/api/2.0/engage", "Basic !!!").statusCode()).isEqualTo(401);
        var other = server.createProject("other");
        assertThat(get("/api/2.0/engage?project_id=" + other.project().id(), secretAuth()).statusCode()).isEqualTo(403);
        assertThat(get("/api/2.0/engage?project_id=abc", secretAuth()).statusCode()).isEqualTo(400);
    }

    @Test
    void exports_have_their_own_rate_limit_with_retry_after() {
        for (int i = 0; i < 3; i++) {
            assertThat(get(EXPORT, secretAuth()).statusCode()).isEqualTo(200);
        }
        HttpResponse<String> limited = described("GET", "/api/2.0/export", get(EXPORT, secretAuth()));
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).isPresent();
        assertThat(get("/api/2.0/engage", secretAuth()).statusCode()).as("queries are limited apart").isEqualTo(200);
        server.clock.advance(java.time.Duration.ofSeconds(1));
        assertThat(get(EXPORT, secretAuth()).statusCode()).isEqualTo(200);
    }

    @Test
    void the_hourly_cap_refuses_once_used_up_and_every_call_gives_its_slot_back_even_a_refused_one() {
        // why: two seconds apart, so the per-second rate never decides; only the hour and the slot do.
        for (int i = 0; i < 3; i++) {
            assertThat(get(EXPORT, secretAuth()).statusCode()).as("export %d, one at a time with a concurrency of 1", i)
                    .isEqualTo(200);
            server.clock.advance(java.time.Duration.ofSeconds(2));
        }
        assertThat(get("/api/2.0/export?from_date=someday&to_date=2026-01-01", secretAuth()).statusCode()).isEqualTo(400);
        server.clock.advance(java.time.Duration.ofSeconds(2));
        assertThat(get(EXPORT, secretAuth()).statusCode()).as("the slot came back after the 400").isEqualTo(200);
        server.clock.advance(java.time.Duration.ofSeconds(2));
        HttpResponse<String> limited = described("GET", "/api/2.0/export", get(EXPORT, secretAuth()));
        assertThat(limited.statusCode()).as("the sixth export of the hour").isEqualTo(429);
        assertThat(Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow())).isBetween(3500L, 3600L);
        for (int i = 0; i < 3; i++) {
            assertThat(get("/api/2.0/engage", secretAuth()).statusCode()).isEqualTo(200);
        }
        assertThat(get("/api/2.0/engage?where=nonsense(", secretAuth()).statusCode()).isEqualTo(400);
        assertThat(get("/api/2.0/engage", secretAuth()).statusCode()).isEqualTo(200);
    }

    @Test
    void cohorts_and_annotations_refuse_parameters_they_cannot_read() {
        HttpResponse<String> json = described("POST", "/api/query/cohorts/list", server.send(HttpRequest.newBuilder(
                server.uri("/api/query/cohorts/list")).header("Authorization", secretAuth()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"project_id\": " + projectId() + "}"))));
        assertThat(json.statusCode()).isEqualTo(415);
        assertThat(json(json).get("error").asText())
                .contains("parameters must be in the query string or an application/x-www-form-urlencoded body");
        RawResponse annotations = rawGet("/api/app/projects/" + projectId() + "/annotations?x=%ZZ", secretAuth());
        assertThat(annotations.status()).isEqualTo(400);
        assertThat(annotations.body()).contains("malformed percent-encoding");
    }

    @Test
    void cohorts_and_annotations_are_empty_and_reports_are_501() {
        HttpResponse<String> cohorts = described("POST", "/api/query/cohorts/list",
                postForm("/api/query/cohorts/list?project_id=" + projectId(), "", secretAuth()));
        assertThat(cohorts.statusCode()).isEqualTo(200);
        assertThat(cohorts.body()).isEqualTo("[]");
        assertThat(get("/api/2.0/cohorts/list", secretAuth()).body()).isEqualTo("[]");
        String annotations = "/api/app/projects/" + projectId() + "/annotations";
        HttpResponse<String> a = described("GET", "/api/app/projects/{projectId}/annotations", get(annotations, secretAuth()));
        assertThat(json(a).get("results")).isEmpty();
        HttpResponse<String> funnels = described("GET", "/api/2.0/funnels", get("/api/2.0/funnels", secretAuth()));
        assertThat(funnels.statusCode()).isEqualTo(501);
        assertThat(json(funnels).get("error").asText()).contains("does not compute reports");
        assertThat(postForm("/api/query/jql", "script=x", secretAuth()).statusCode()).isEqualTo(501);
        assertThat(get("/api/2.0/segmentation", secretAuth()).statusCode()).isEqualTo(501);
    }
}
