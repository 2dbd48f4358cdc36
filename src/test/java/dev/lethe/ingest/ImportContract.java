package dev.lethe.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.crypto.Secrets;
import dev.lethe.event.EventRecord;
import dev.lethe.json.Json;
import dev.lethe.testing.Gzip;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.util.List;

import static dev.lethe.ingest.EventBuilder.event;
import static org.assertj.core.api.Assertions.assertThat;

/** /import: its credentials, the JSON summary, record-by-record validation and strict mode, gzip, the legacy data= form. */
abstract class ImportContract extends IngestTestBase {

    @Override
    long maxBodyBytes() {
        // why: room for a full batch of 2000 events, as bulk-import tools send them.
        return 1024 * 1024;
    }

    private EventBuilder historic(String id, String insertId) {
        return event("Purchased").distinctId(id).time(1_600_000_000L).insertId(insertId);
    }

    private HttpResponse<String> importAs(String query, String auth, String body) {
        return post("/import" + query, "application/json", body.getBytes(StandardCharsets.UTF_8), "Authorization", auth);
    }

    @Test
    void api_secret_as_basic_user_imports_and_answers_the_summary() {
        HttpResponse<String> r = importAs("", basic(project.apiSecret(), ""),
                EventBuilder.array(historic("u1", "a1"), historic("u2", "a2")));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"code\":200,\"num_records_imported\":2,\"status\":\"OK\"}");
        assertThat(eventsOf("u1", "u2")).allSatisfy(e -> assertThat(e.source()).isEqualTo("import"));
    }

    @Test
    void the_project_token_as_basic_user_imports() {
        assertThat(importAs("/", basic(token, ""), EventBuilder.array(historic("u1", "a1"))).statusCode()).isEqualTo(200);
        assertThat(eventsOf("u1")).hasSize(1);
    }

    @Test
    void the_legacy_api_key_parameter_is_the_api_secret() {
        HttpResponse<String> r = post("/import?api_key=" + project.apiSecret(), "application/json",
                EventBuilder.array(historic("u1", "a1")).getBytes(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(eventsOf("u1")).hasSize(1);
    }

    @Test
    void a_service_account_with_a_role_imports_with_project_id() {
        serviceAccount("robot", "s3cret", "admin", null);
        HttpResponse<String> r = importAs("?project_id=" + projectId(), basic("robot", "s3cret"), EventBuilder.array(historic("u1", "a1")));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(eventsOf("u1")).hasSize(1);
    }

    @Test
    void a_revoked_service_account_or_a_wrong_secret_is_refused_with_401() {
        serviceAccount("robot", "s3cret", "admin", 1L);
        serviceAccount("other", "s3cret", "admin", null);
        String body = EventBuilder.array(historic("u1", "a1"));
        assertThat(importAs("?project_id=" + projectId(), basic("robot", "s3cret"), body).statusCode()).isEqualTo(401);
        assertThat(importAs("?project_id=" + projectId(), basic("other", "wrong"), body).statusCode()).isEqualTo(401);
        assertNothingStored();
    }

    @Test
    void a_consumer_service_account_may_not_import() {
        serviceAccount("reader", "s3cret", "consumer", null);
        HttpResponse<String> r = importAs("?project_id=" + projectId(), basic("reader", "s3cret"), EventBuilder.array(historic("u1", "a1")));
        assertThat(r.statusCode()).isEqualTo(403);
        assertNothingStored();
    }

    @Test
    void missing_or_unknown_credentials_are_refused_with_a_json_401() {
        String body = EventBuilder.array(historic("u1", "a1"));
        HttpResponse<String> none = post("/import", "application/json", body.getBytes(StandardCharsets.UTF_8));
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(json(none).get("status").asText()).isEqualTo("error");
        assertThat(importAs("", basic("not-a-secret", ""), body).statusCode()).isEqualTo(401);
        assertThat(importAs("", "Bearer abc", body).statusCode()).isEqualTo(401);
        assertNothingStored();
    }

    @Test
    void duplicates_are_stored_once_and_still_count_as_imported() {
        String body = EventBuilder.array(historic("u1", "a1"), historic("u1", "a1"));
        assertThat(json(importAs("", basic(project.apiSecret(), ""), body)).get("num_records_imported").asInt()).isEqualTo(2);
        importAs("", basic(project.apiSecret(), ""), body);
        assertThat(eventsOf("u1")).hasSize(1);
    }

    @Test
    void a_gzipped_body_is_inflated() {
        byte[] body = Gzip.bytes(EventBuilder.array(historic("u1", "a1")).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = post("/import", "application/json", body,
                "Authorization", basic(project.apiSecret(), ""), "Content-Encoding", "gzip");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(eventsOf("u1")).hasSize(1);
    }

    @Test
    void ndjson_is_accepted() {
        String body = historic("u1", "a1").json() + "\n" + historic("u2", "a2").json() + "\n";
        HttpResponse<String> r = post("/import", "application/x-ndjson", body.getBytes(StandardCharsets.UTF_8),
                "Authorization", basic(project.apiSecret(), ""));
        assertThat(json(r).get("num_records_imported").asInt()).isEqualTo(2);
    }

    @Test
    void strict_mode_stores_the_valid_records_and_answers_mixpanels_partial_failure() {
        String body = EventBuilder.array(historic("u1", "a1"), event("Purchased").distinctId("u2").insertId("a2"),
                event("Purchased").distinctId("u3").time(1_600_000_000L), historic("u4", "a4"));
        HttpResponse<String> r = importAs("?strict=1", basic(project.apiSecret(), ""), body);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r)).isEqualTo(Json.readTrusted("{\"code\":400,"
                + "\"error\":\"some data points in the request failed validation\","
                + "\"failed_records\":["
                + "{\"index\":1,\"insert_id\":\"a2\",\"field\":\"properties.time\",\"message\":\"properties.time is missing\"},"
                + "{\"index\":2,\"insert_id\":\"\",\"field\":\"properties.$insert_id\",\"message\":\"properties.$insert_id is missing\"}],"
                + "\"num_records_imported\":2,\"status\":\"Bad Request\"}"));
        assertThat(eventsOf("u1", "u4")).extracting(EventRecord::insertId).containsExactlyInAnyOrder("a1", "a4");
        assertThat(eventsOf("u2", "u3")).isEmpty();
    }

    @Test
    void a_refused_batch_sent_again_stores_its_valid_records_once() {
        String body = EventBuilder.array(historic("u1", "a1"), event("Purchased").distinctId("u2").time(1_600_000_000L),
                historic("u1", "a3"));
        for (int attempt = 0; attempt < 3; attempt++) {
            HttpResponse<String> r = importAs("?strict=1", basic(project.apiSecret(), ""), body);
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(json(r).get("num_records_imported").asInt()).isEqualTo(2);
        }
        assertThat(rows("events")).isEqualTo(2);
    }

    @Test
    void a_failed_record_leaves_nothing_behind_not_even_its_identity_link() {
        String body = EventBuilder.array(historic("u1", "a1"),
                event("Linked").distinctId("u2").insertId("a2").prop("$device_id", "d2").prop("$user_id", "u2"));
        HttpResponse<String> r = importAs("?strict=1", basic(project.apiSecret(), ""), body);
        assertThat(json(r).get("failed_records")).hasSize(1);
        assertThat(rows("events")).isEqualTo(1);
        assertThat(rows("identity_links")).isZero();
        assertThat(server.app.resolver().resolve(projectId(), List.of("d2"))).containsExactly("d2");
    }

    @Test
    void a_strict_batch_of_only_invalid_records_imports_nothing_and_lists_them() {
        HttpResponse<String> r = importAs("?strict=1", basic(project.apiSecret(), ""),
                EventBuilder.array(event("Purchased").distinctId("u1").insertId("a1")));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("num_records_imported").asInt()).isZero();
        assertThat(json(r).get("failed_records")).hasSize(1);
        assertNothingStored();
    }

    @Test
    void without_strict_a_missing_insert_id_is_derived_and_invalid_records_are_dropped_and_listed() {
        HttpResponse<String> ok = importAs("", basic(project.apiSecret(), ""),
                EventBuilder.array(event("Purchased").distinctId("u1").time(1_600_000_000L)));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(eventsOf("u1").get(0).insertId()).hasSize(32);
        HttpResponse<String> partly = importAs("", basic(project.apiSecret(), ""),
                EventBuilder.array(historic("u2", "b1"), event("Purchased").distinctId("u3")));
        assertThat(partly.statusCode()).isEqualTo(200);
        assertThat(json(partly).get("status").asText()).isEqualTo("OK");
        assertThat(json(partly).get("num_records_imported").asInt()).isEqualTo(1);
        assertThat(json(partly).get("failed_records").get(0).get("index").asInt()).isEqualTo(1);
        assertThat(eventsOf("u2")).hasSize(1);
        assertThat(eventsOf("u3")).isEmpty();
    }

    @Test
    void without_strict_a_batch_of_only_invalid_records_is_a_400_that_says_what_is_wrong() {
        HttpResponse<String> bad = importAs("", basic(project.apiSecret(), ""),
                EventBuilder.array(event("Purchased").distinctId("u3"), event("").distinctId("u4").time(1L)));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).get("status").asText()).isEqualTo("error");
        assertThat(json(bad).get("error").asText()).contains("record 0: properties.time is missing");
        assertThat(json(bad).get("num_records_imported").asInt()).isZero();
        assertThat(json(bad).get("failed_records")).hasSize(2);
        assertNothingStored();
    }

    @Test
    void the_request_shape_of_mixpanel_import_stores_what_it_reports() {
        // what mixpanel-import sends by default: 2000 records a batch, gzip, ip=0, verbose=1, strict=1, Basic secret:
        EventBuilder[] events = new EventBuilder[2000];
        int invalid = 0;
        for (int i = 0; i < events.length; i++) {
            events[i] = event("E").distinctId("u" + (i % 40)).time(1_600_000_000L + i);
            if (i % 20 != 3) {
                events[i].insertId("id-" + i);
            } else {
                invalid++;
            }
        }
        byte[] body = Gzip.bytes(EventBuilder.array(events).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = post("/import?ip=0&verbose=1&strict=1", "application/json", body,
                "Authorization", basic(project.apiSecret(), ""), "Content-Encoding", "gzip", "Accept", "application/json");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("num_records_imported").asInt()).isEqualTo(2000 - invalid);
        assertThat(json(r).get("failed_records")).hasSize(invalid);
        assertThat(rows("events")).isEqualTo(2000 - invalid);
    }

    @Test
    void a_legacy_data_request_answers_1() {
        String form = "api_key=" + project.apiSecret() + "&data=" + base64(EventBuilder.array(historic("u1", "a1")));
        HttpResponse<String> r = server.postForm("/import", form);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("1");
        assertThat(eventsOf("u1")).hasSize(1);
    }

    @Test
    void a_legacy_data_request_with_an_invalid_record_stores_the_others_and_answers_0() {
        String data = base64(EventBuilder.array(historic("u1", "a1"), event("Purchased").distinctId("u2")));
        HttpResponse<String> r = server.postForm("/import?verbose=1", "api_key=" + project.apiSecret() + "&data=" + data);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("status").asInt()).isZero();
        assertThat(json(r).get("error").asText()).startsWith("1 of 2 records failed validation and were not imported (1 were)");
        assertThat(eventsOf("u1")).hasSize(1);
        assertThat(eventsOf("u2")).isEmpty();
    }

    @Test
    void a_legacy_data_request_without_credentials_answers_0() {
        HttpResponse<String> r = server.postForm("/import", "data=" + base64(EventBuilder.array(historic("u1", "a1"))));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).isEqualTo("0");
        assertNothingStored();
    }

    @Test
    void credentials_of_one_project_do_not_open_another_project_id() {
        var other = server.createProject("other");
        HttpResponse<String> r = importAs("?project_id=" + other.project().id(), basic(project.apiSecret(), ""),
                EventBuilder.array(historic("u1", "a1")));
        assertThat(r.statusCode()).isEqualTo(403);
        assertNothingStored();
    }

    @Test
    void strict_other_than_one_0_or_1_and_a_project_id_that_is_not_a_number_are_400() {
        String body = EventBuilder.array(historic("u1", "a1"));
        for (String query : new String[] {"?strict=maybe", "?strict=", "?strict=0&strict=1", "?project_id=abc"}) {
            HttpResponse<String> r = importAs(query, basic(project.apiSecret(), ""), body);
            assertThat(r.statusCode()).as(query).isEqualTo(400);
            assertThat(json(r).get("error").asText()).as(query)
                    .isEqualTo(query.contains("project_id") ? "project_id must be a number"
                            : query.contains("&") ? "strict must be 0 or 1, given once" : "strict must be 0 or 1");
        }
        assertNothingStored();
        assertThat(importAs("?strict=0", basic(project.apiSecret(), ""), body).statusCode()).isEqualTo(200);
    }

    @Test
    void a_time_that_overflows_when_scaled_to_milliseconds_is_a_failed_record() {
        String body = "[" + Json.write(historic("u1", "a1").node()).replace("1600000000", "-18446744073709551") + ","
                + Json.write(historic("u2", "a2").node()).replace("1600000000", "-9223372036854775808") + "]";
        HttpResponse<String> r = importAs("?strict=1", basic(project.apiSecret(), ""), body);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("failed_records")).hasSize(2).allSatisfy(f -> {
            assertThat(f.get("field").asText()).isEqualTo("properties.time");
            assertThat(f.get("message").asText()).isEqualTo("properties.time is out of range");
        });
        assertNothingStored();
    }

    private void serviceAccount(String username, String secret, String role, Long revokedAt) {
        server.app.db().inTransaction(c -> {
            long id;
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO service_accounts (name, username, secret_hash, created_at, revoked_at) VALUES (?, ?, ?, ?, ?) RETURNING id")) {
                ps.setString(1, username);
                ps.setString(2, username);
                ps.setString(3, Secrets.sha256Hex(secret));
                ps.setLong(4, 0);
                ps.setObject(5, revokedAt);
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO service_account_roles (service_account_id, project_id, role) VALUES (?, ?, ?)")) {
                ps.setLong(1, id);
                ps.setLong(2, projectId());
                ps.setString(3, role);
                ps.executeUpdate();
            }
            return null;
        });
    }
}
