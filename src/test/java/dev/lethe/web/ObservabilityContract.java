package dev.lethe.web;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.app.LogOutput;
import dev.lethe.auth.Role;
import dev.lethe.auth.UserStore;
import dev.lethe.config.LetheConfig.LogFormat;
import dev.lethe.json.Json;
import dev.lethe.project.ProjectStore;
import dev.lethe.task.NewTask;
import dev.lethe.task.TaskKind;
import dev.lethe.testing.StoreFixture;
import dev.lethe.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * /metrics and the JSON log after real ingestion and GDPR traffic carrying distinctive ids,
 * tokens and secrets: the series are there, labelled by route template and outcome, and none of
 * those values appears in a label or a log line.
 */
abstract class ObservabilityContract {

    abstract StoreFixture store();

    private static final String METRICS_TOKEN = "metrics-tok-QJ4801";
    private static final String PERSON = "person-XK7731@example.org";
    private static final String OTHER = "device-ZW5512";
    private static final String OWNER_EMAIL = "owner-PV3390@example.org";
    private static final String DELETIONS = "/api/app/data-deletions/v3.0";

    @TempDir
    Path tmp;
    TestServer server;
    private ByteArrayOutputStream logBytes;
    private OutputStreamAppender<ILoggingEvent> appender;

    @BeforeEach
    void start() {
        // why: one creation at once, so the second deletion meets the rate limit
        server = TestServer.start(store(), tmp, b -> b.metricsToken(METRICS_TOKEN).rateLimit(0.001).rateLimitBurst(1));
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        logBytes = new ByteArrayOutputStream();
        appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setEncoder(LogOutput.encoder(context, LogFormat.JSON));
        appender.setOutputStream(logBytes);
        appender.start();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(appender);
    }

    @AfterEach
    void stop() {
        if (appender != null) {
            ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(appender);
            appender.stop();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void metrics_and_logs_describe_the_traffic_without_any_id_or_secret() {
        ProjectStore.Created project = server.createProject("observed");
        String projectToken = project.project().token();
        UserStore.User owner = server.app.users().create(OWNER_EMAIL);
        server.app.users().grant(owner.id(), project.project().id(), Role.OWNER);
        String bearer = server.app.tokens().issue(owner.id(), Duration.ofDays(30)).token();

        assertThat(track(projectToken, PERSON, "Signed Up").statusCode()).isEqualTo(200);
        String profile = Json.write(List.of(Map.of("$token", projectToken, "$distinct_id", PERSON,
                "$set", Map.of("$email", PERSON))));
        assertThat(server.postForm("/engage", "data=" + URLEncoder.encode(profile, StandardCharsets.UTF_8)).statusCode())
                .isEqualTo(200);
        HttpResponse<String> imported = server.send(HttpRequest.newBuilder(server.uri("/import?strict=1"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (project.apiSecret() + ":").getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(List.of(Map.of("event", "Paid", "properties", Map.of(
                        "distinct_id", OTHER, "time", 1_790_000_000_000L, "$insert_id", "ins-" + OTHER)))))));
        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(200);

        HttpResponse<String> created = gdpr("POST", DELETIONS, bearer, projectToken,
                Json.write(Map.of("distinct_ids", List.of(PERSON), "compliance_type", "GDPR", "suppress", true)));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String trackingId = Json.readTrusted(created.body()).get("results").get("tracking_id").asText();
        assertThat(server.app.engine().runOnce()).isTrue();
        assertThat(gdpr("GET", DELETIONS + "/" + trackingId, bearer, projectToken, null).body()).contains("SUCCESS");
        assertThat(gdpr("POST", DELETIONS, bearer, projectToken, Json.write(Map.of("distinct_ids", List.of(OTHER))))
                .statusCode()).isEqualTo(429);
        track(projectToken, PERSON, "Came Back");
        assertThat(server.get("/nothing/here/" + PERSON).statusCode()).isEqualTo(404);

        HttpResponse<String> lifted = gdpr("DELETE", DELETIONS + "/" + trackingId + "/suppression", bearer, projectToken, null);
        assertThat(lifted.statusCode()).as(lifted.body()).isEqualTo(200);
        String requestId = lifted.headers().firstValue(RequestContext.HEADER).orElseThrow();

        assertThat(server.get("/metrics").statusCode()).isEqualTo(401);
        HttpResponse<String> scraped = server.send(HttpRequest.newBuilder(server.uri("/metrics"))
                .header("Authorization", "Bearer " + METRICS_TOKEN).GET());
        assertThat(scraped.statusCode()).isEqualTo(200);
        assertThat(scraped.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        String metrics = scraped.body();

        assertThat(metrics)
                .contains("lethe_http_requests_seconds_count{method=\"POST\",route=\"/track\",status=\"200\"} 2")
                .contains("route=\"" + DELETIONS + "/{tracking_id}\",status=\"200\"} 1")
                .contains("route=\"" + DELETIONS + "/{tracking_id}/suppression\",status=\"200\"} 1")
                .contains("route=\"" + RequestContext.UNMATCHED + "\",status=\"404\"} 1")
                .contains("lethe_http_rate_limited_total{route=\"" + DELETIONS + "\"} 1")
                .contains("lethe_ingest_events_total{outcome=\"accepted\",source=\"track\"} 1")
                .contains("lethe_ingest_events_total{outcome=\"dropped\",source=\"track\"} 1")
                .contains("lethe_ingest_events_total{outcome=\"accepted\",source=\"import\"} 1")
                .contains("lethe_ingest_events_total{outcome=\"accepted\",source=\"engage\"} 1")
                .contains("lethe_tasks_run_seconds_count{kind=\"DELETION\",state=\"SUCCESS\"} 1")
                .contains("lethe_tasks_unfinished{kind=\"DELETION\",state=\"PENDING\"} 0")
                .contains("lethe_tasks_oldest_pending_age_seconds 0")
                .contains("lethe_store_maintenance_seconds_count{operation=\"scrub\",outcome=\"ok\"} 1")
                .contains("hikaricp_connections_active{pool=");
        List<String> secrets = List.of(PERSON, OTHER, OWNER_EMAIL, bearer, projectToken, project.apiSecret(), METRICS_TOKEN,
                trackingId, "observed");
        for (String secret : secrets) {
            assertThat(metrics).as("metrics must not name %s", secret).doesNotContain(secret);
        }

        String log = logBytes.toString(StandardCharsets.UTF_8);
        List<JsonNode> lines = new ArrayList<>();
        for (String line : log.split("\n")) {
            if (!line.isBlank()) {
                lines.add(Json.readTrusted(line));
            }
        }
        assertThat(lines).as(log).anySatisfy(line -> {
            assertThat(line.get("loggerName").asText()).endsWith("SuppressionLifts");
            assertThat(line.get("mdc").get(RequestContext.MDC_KEY).asText()).isEqualTo(requestId);
            assertThat(line.get("formattedMessage").asText()).contains("1 id(s) accepted again");
        });
        for (String secret : List.of(PERSON, OTHER, OWNER_EMAIL, bearer, projectToken, project.apiSecret(), METRICS_TOKEN)) {
            assertThat(log).as("the log must not name %s", secret).doesNotContain(secret);
        }
    }

    @Test
    void the_queue_gauges_count_unfinished_tasks_and_age_the_oldest_pending_one() {
        long projectId = server.createProject("queued").project().id();
        server.app.tasks().create(new NewTask(projectId, TaskKind.DELETION, "GDPR", null, false, "tester", List.of("q-1")));
        server.clock.advance(Duration.ofSeconds(90));
        server.app.tasks().create(new NewTask(projectId, TaskKind.RETRIEVAL, "GDPR", "all", false, "tester", List.of("q-2")));

        String metrics = scrape();

        assertThat(metrics)
                .contains("lethe_tasks_unfinished{kind=\"DELETION\",state=\"PENDING\"} 1.0")
                .contains("lethe_tasks_unfinished{kind=\"RETRIEVAL\",state=\"PENDING\"} 1.0")
                .contains("lethe_tasks_unfinished{kind=\"DELETION\",state=\"STARTED\"} 0.0")
                .contains("lethe_tasks_oldest_pending_age_seconds 90.0");
    }

    String scrape() {
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri("/metrics"))
                .header("Authorization", "Bearer " + METRICS_TOKEN).GET());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    @Test
    void every_answer_carries_a_fresh_request_id() {
        HttpResponse<String> a = server.get("/healthz");
        HttpResponse<String> b = server.get("/no/such/thing");
        String first = a.headers().firstValue(RequestContext.HEADER).orElseThrow();
        String second = b.headers().firstValue(RequestContext.HEADER).orElseThrow();
        assertThat(first).matches("[0-9a-f-]{36}").isNotEqualTo(second);
    }

    @Test
    void a_wrong_metrics_token_is_refused() {
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri("/metrics"))
                .header("Authorization", "Bearer not-" + METRICS_TOKEN).GET());
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).doesNotContain("lethe_");
    }

    private HttpResponse<String> track(String projectToken, String distinctId, String event) {
        String data = Json.write(Map.of("event", event, "properties", Map.of("token", projectToken, "distinct_id", distinctId,
                "time", 1_790_000_000_000L, "$email", distinctId)));
        return server.postForm("/track", "data=" + URLEncoder.encode(data, StandardCharsets.UTF_8));
    }

    private HttpResponse<String> gdpr(String method, String path, String bearer, String projectToken, String body) {
        HttpRequest.Builder r = HttpRequest.newBuilder(server.uri(path + "?token=" + projectToken))
                .header("Authorization", "Bearer " + bearer)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            r.header("Content-Type", "application/json");
        }
        return server.send(r);
    }
}
