package dev.lethe.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.json.Json;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** GET /api/2.0/export over real HTTP: Mixpanel's line shape, the date range, the filters, gzip, chunked streaming, erasure. */
abstract class ExportContract extends ReadApiTestBase {

    static final long NOV_1 = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();
    static final long HOUR = 3_600_000L;

    HttpResponse<String> export(String query) {
        return get("/api/2.0/export?" + query, secretAuth());
    }

    @Test
    void events_come_one_a_line_in_time_order_shaped_as_mixpanel_exports_them() {
        importEvents(event("Purchased", "u2", NOV_1 + 2 * HOUR + 789, "b", "plan", "pro", "price", 9.5),
                event("Signed up", "u1", NOV_1 + HOUR, "a", "plan", "free"));
        HttpResponse<String> r = described("GET", "/api/2.0/export",
                export(query("from_date", "2026-11-01", "to_date", "2026-11-01")));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(r.body()).endsWith("\n");
        List<JsonNode> lines = lines(r.body());
        assertThat(lines).hasSize(2);
        JsonNode first = lines.get(0);
        assertThat(first.get("event").asText()).isEqualTo("Signed up");
        JsonNode p = first.get("properties");
        assertThat(p.get("time").asLong()).isEqualTo((NOV_1 + HOUR) / 1000);
        assertThat(p.get("distinct_id").asText()).isEqualTo("u1");
        assertThat(p.get("$insert_id").asText()).isEqualTo("a");
        assertThat(p.get("mp_processing_time_ms").asLong()).isEqualTo(server.clock.millis());
        assertThat(p.get("plan").asText()).isEqualTo("free");
        assertThat(p.has("token")).isFalse();
        JsonNode second = lines.get(1).get("properties");
        assertThat(second.get("time").isIntegralNumber()).isTrue();
        assertThat(second.get("time").asLong()).isEqualTo((NOV_1 + 2 * HOUR) / 1000);
        assertThat(second.get("price").asDouble()).isEqualTo(9.5);
    }

    @Test
    void ids_and_properties_that_need_escapes_or_are_not_ascii_come_back_as_sent() {
        String id = "ada \"the\" \\ lovelace\t😀 漢字 \u2028";
        String insertId = "ins-\u0001-\"q\"-é";
        ObjectNode sent = event("Signed up", id, NOV_1 + HOUR, insertId, "quote", "say \"hi\"\n", "naïve", "😀",
                "nested", java.util.Map.of("time", 5, "distinct_id", "inner"));
        importEvents(sent);
        String body = export(query("from_date", "2026-11-01", "to_date", "2026-11-01")).body();
        assertThat(body.split("\n")).as("one line: every control character inside the line is escaped").hasSize(1);
        JsonNode p = lines(body).get(0).get("properties");
        assertThat(p.get("distinct_id").asText()).isEqualTo(id);
        assertThat(p.get("$insert_id").asText()).isEqualTo(insertId);
        assertThat(p.get("quote").asText()).isEqualTo("say \"hi\"\n");
        assertThat(p.get("naïve").asText()).isEqualTo("😀");
        assertThat(p.get("nested")).isEqualTo(Json.MAPPER.valueToTree(java.util.Map.of("time", 5, "distinct_id", "inner")));
        assertThat(p.get("time").asLong()).isEqualTo((NOV_1 + HOUR) / 1000);
    }

    @Test
    void time_in_ms_gives_milliseconds() {
        importEvents(event("Signed up", "u1", NOV_1 + 1234, "a"));
        JsonNode p = lines(export(query("from_date", "2026-11-01", "to_date", "2026-11-01", "time_in_ms", "true")).body())
                .get(0).get("properties");
        assertThat(p.get("time").asLong()).isEqualTo(NOV_1 + 1234);
    }

    @Test
    void from_and_to_date_are_inclusive_utc_days() {
        importEvents(event("E", "u", NOV_1 - 1, "before"), event("E", "u", NOV_1, "first"),
                event("E", "u", NOV_1 + 2 * 24 * HOUR - 1, "last"), event("E", "u", NOV_1 + 2 * 24 * HOUR, "after"));
        List<JsonNode> lines = lines(export(query("from_date", "2026-11-01", "to_date", "2026-11-02")).body());
        assertThat(lines).extracting(l -> l.get("properties").get("$insert_id").asText()).containsExactly("first", "last");
    }

    @Test
    void the_event_and_where_parameters_filter() {
        importEvents(event("Signed up", "u1", NOV_1 + 1000, "a", "plan", "free"),
                event("Purchased", "u1", NOV_1 + 2000, "b", "plan", "pro", "seats", 3),
                event("Purchased", "u2", NOV_1 + 3000, "c", "plan", "pro", "seats", 12),
                event("Viewed", "u2", NOV_1 + 4000, "d", "plan", "pro"));
        String range = query("from_date", "2026-11-01", "to_date", "2026-11-01");
        assertThat(ids(export(range + "&" + query("event", "[\"Purchased\",\"Viewed\"]")))).containsExactly("b", "c", "d");
        assertThat(ids(export(range + "&" + query("event", "[\"Purchased\"]", "where",
                "properties[\"seats\"] > 5 and defined(properties[\"plan\"])"))))
                .containsExactly("c");
        assertThat(ids(export(range + "&" + query("where", "properties[\"time\"] >= datetime(\"2026-11-01T00:00:03\")"))))
                .containsExactly("c", "d");
        assertThat(ids(export(range + "&" + query("where", "properties[\"distinct_id\"] in [\"u2\"]")))).containsExactly("c", "d");
    }

    @Test
    void an_unsupported_where_is_a_400_naming_the_construct() {
        HttpResponse<String> r = described("GET", "/api/2.0/export",
                export(query("from_date", "2026-11-01", "to_date", "2026-11-01", "where", "properties[\"seats\"] * 2 > 5")));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("error").asText()).contains("arithmetic operator '*'");
        assertThat(json(r).get("status").asText()).isEqualTo("error");
    }

    @Test
    void bad_parameters_are_400s_that_name_them() {
        assertThat(json(export(query("to_date", "2026-11-01"))).get("error").asText()).contains("from_date");
        assertThat(json(export(query("from_date", "2026-11-01", "to_date", "11/02/2026"))).get("error").asText()).contains("to_date");
        assertThat(json(export(query("from_date", "2026-11-02", "to_date", "2026-11-01"))).get("error").asText()).contains("before");
        assertThat(json(export(query("from_date", "2026-11-01", "to_date", "2026-11-01", "event", "Purchased"))).get("error").asText())
                .contains("event must be a JSON array");
        HttpResponse<String> tooMany = described("GET", "/api/2.0/export",
                export(query("from_date", "2026-11-01", "to_date", "2026-11-01", "limit", "100001")));
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(json(tooMany).get("error").asText()).contains("limit");
    }

    @Test
    void malformed_percent_encoding_is_a_400_not_an_unfiltered_export() {
        importEvents(event("Signed up", "u1", NOV_1 + 1000, "a"));
        String range = "/api/2.0/export?from_date=2026-11-01&to_date=2026-11-01";
        for (String bad : new String[] {range + "&where=%ZZ", range + "&event=%ZZ", range + "&where=%2", "/api/2.0/export?from_date=%ZZ"}) {
            RawResponse r = rawGet(bad, secretAuth());
            assertThat(r.status()).as(bad).isEqualTo(400);
            assertThat(r.body()).as(bad).contains("malformed percent-encoding in the query parameter");
        }
    }

    @Test
    void limit_caps_the_number_of_events() {
        importEvents(event("E", "u", NOV_1 + 1, "a"), event("E", "u", NOV_1 + 2, "b"), event("E", "u", NOV_1 + 3, "c"));
        assertThat(ids(export(query("from_date", "2026-11-01", "to_date", "2026-11-01", "limit", "2")))).containsExactly("a", "b");
    }

    @Test
    void the_whole_range_streams_across_store_chunks_in_order_with_ties_kept() {
        int n = EventExport.CHUNK * 2 + 345;
        List<ObjectNode> events = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            // why: three events a millisecond, so chunk boundaries fall inside runs of equal times
            events.add(event("E", "u" + (i % 7), NOV_1 + i / 3, String.format("i%05d", i)));
        }
        importEvents(events);
        List<String> ids = ids(export(query("from_date", "2026-11-01", "to_date", "2026-11-01")));
        assertThat(ids).hasSize(n).doesNotHaveDuplicates();
        List<Long> times = lines(export(query("from_date", "2026-11-01", "to_date", "2026-11-01", "time_in_ms", "1")).body())
                .stream().map(l -> l.get("properties").get("time").asLong()).toList();
        assertThat(times).isSorted();
    }

    @Test
    void the_body_is_gzipped_when_the_client_accepts_it() throws IOException {
        List<ObjectNode> events = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            events.add(event("E", "u", NOV_1 + i, "i" + i, "page", "/pricing"));
        }
        importEvents(events);
        HttpResponse<byte[]> r;
        try {
            r = java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            server.uri("/api/2.0/export?" + query("from_date", "2026-11-01", "to_date", "2026-11-01")))
                    .header("Authorization", secretAuth()).header("Accept-Encoding", "gzip").GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        assertThat(r.headers().firstValue("Content-Encoding")).hasValue("gzip");
        String body = new String(new GZIPInputStream(new ByteArrayInputStream(r.body())).readAllBytes(), StandardCharsets.UTF_8);
        assertThat(lines(body)).hasSize(50);
        assertThat(export(query("from_date", "2026-11-01", "to_date", "2026-11-01")).headers().firstValue("Content-Encoding")).isEmpty();
    }

    @Test
    void a_deleted_persons_events_never_appear() {
        importEvents(event("E", "gone", NOV_1 + 1, "g1"), event("E", "kept", NOV_1 + 2, "k1"), event("E", "gone", NOV_1 + 3, "g2"));
        var admin = server.app.serviceAccounts().create("gdpr", projectId(), dev.lethe.auth.Role.ADMIN);
        HttpResponse<String> created = server.send(HttpRequest.newBuilder(
                        server.uri("/api/app/data-deletions/v3.0?token=" + project.project().token()))
                .header("Authorization", basic(admin.username() + ":" + admin.secret())).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"distinct_ids\":[\"gone\"]}")));
        assertThat(created.statusCode()).isEqualTo(201);
        while (server.app.engine().runOnce()) {
            // each call advances one task a step
        }
        assertThat(ids(export(query("from_date", "2026-11-01", "to_date", "2026-11-01")))).containsExactly("k1");
    }

    @Test
    void events_of_a_suppressed_id_never_appear() {
        importEvents(event("E", "held", NOV_1 + 1, "h1"), event("E", "kept", NOV_1 + 2, "k1"));
        // why: a deletion in progress holds its ids suppressed while their events are still stored
        server.app.db().inTransaction(c -> {
            server.app.suppressions().hold(c, projectId(), Set.of("held"), 1L, server.clock.millis());
            return null;
        });
        assertThat(ids(export(query("from_date", "2026-11-01", "to_date", "2026-11-01")))).containsExactly("k1");
    }

    @Test
    void an_empty_range_is_an_empty_200() {
        HttpResponse<String> r = export(query("from_date", "2026-11-01", "to_date", "2026-11-01"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
    }

    static List<String> ids(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return lines(r.body()).stream().map(l -> l.get("properties").get("$insert_id").asText()).toList();
    }

}
