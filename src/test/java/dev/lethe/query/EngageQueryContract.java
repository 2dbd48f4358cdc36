package dev.lethe.query;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.testing.Gzip;
import org.junit.jupiter.api.Test;

import dev.lethe.store.IndexKeys;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The profile query (engage) over real HTTP: Mixpanel's shape, filters, and keyset paging that stays stable while profiles change. */
abstract class EngageQueryContract extends ReadApiTestBase {

    HttpResponse<String> engageGet(String query) {
        return described("GET", "/api/2.0/engage", get("/api/2.0/engage?" + query, secretAuth()));
    }

    HttpResponse<String> engagePost(String path, String form) {
        return described("POST", path, postForm(path, form, secretAuth()));
    }

    @Test
    void answers_mixpanels_shape_with_all_properties() {
        setProfile("u1", "$email", "a@example.com", "plan", "pro");
        HttpResponse<String> r = engagePost("/api/query/engage", query("distinct_id", "u1"));
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.get("status").asText()).isEqualTo("ok");
        assertThat(body.get("page").asInt()).isZero();
        assertThat(body.get("page_size").asInt()).isEqualTo(1000);
        assertThat(body.get("total").asInt()).isEqualTo(1);
        assertThat(body.get("session_id").asText()).isNotEmpty();
        assertThat(body.get("results")).hasSize(1);
        assertThat(body.get("results").get(0).get("$distinct_id").asText()).isEqualTo("u1");
        assertThat(body.get("results").get(0).get("$properties").get("$email").asText()).isEqualTo("a@example.com");
        assertThat(body.get("results").get(0).get("$properties").get("plan").asText()).isEqualTo("pro");
    }

    @Test
    void distinct_ids_where_and_output_properties_select_and_trim() {
        setProfile("u1", "plan", "pro", "seats", 3, "$email", "1@x");
        setProfile("u2", "plan", "pro", "seats", 30, "$email", "2@x");
        setProfile("u3", "plan", "free", "$email", "3@x");
        assertThat(ids(engagePost("/api/2.0/engage", query("distinct_ids", "[\"u3\",\"u1\",\"nobody\"]")))).containsExactlyInAnyOrder("u1", "u3");
        assertThat(ids(engageGet(query("where", "user[\"plan\"] == \"pro\" and properties[\"seats\"] > 5")))).containsExactly("u2");
        assertThat(ids(engageGet(query("where", "not defined(properties[\"seats\"])")))).containsExactly("u3");
        JsonNode trimmed = json(engageGet(query("distinct_id", "u1", "output_properties", "[\"$email\"]"))).get("results").get(0);
        assertThat(trimmed.get("$properties").size()).isEqualTo(1);
        assertThat(trimmed.get("$properties").get("$email").asText()).isEqualTo("1@x");
        HttpResponse<String> bad = engageGet(query("where", "properties[\"seats\"] + 1 > 2"));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).get("error").asText()).contains("arithmetic operator '+'");
    }

    @Test
    void pages_neither_repeat_nor_skip_profiles_while_profiles_are_added_and_removed() {
        for (int i = 0; i < 25; i++) {
            setProfile(String.format("p%02d", i), "n", i);
        }
        JsonNode first = json(engageGet(query("page_size", "10")));
        assertThat(first.get("total").asInt()).isEqualTo(25);
        List<String> seen = new ArrayList<>(ids(first));
        // why: a profile sorting before the cursor appears, so offset paging would list the first page's
        // last profile twice; one not yet listed goes and one after the end appears. Pages follow the
        // person keys, so the ids are picked by where their keys sort.
        byte[] cursor = key(seen.get(seen.size() - 1));
        String before = idWhoseKey(k -> IndexKeys.compare(k, cursor) < 0);
        String gone = "p00";
        for (int i = 0; i < 25; i++) {
            String id = String.format("p%02d", i);
            if (!seen.contains(id)) {
                gone = id;
            }
        }
        List<byte[]> all = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            all.add(key(String.format("p%02d", i)));
        }
        byte[] greatest = all.stream().max(IndexKeys::compare).orElseThrow();
        String after = idWhoseKey(k -> IndexKeys.compare(k, greatest) > 0);
        setProfile(before, "n", -1);
        deleteProfile(gone);
        setProfile(after, "n", 99);
        JsonNode page = first;
        int expected = 1;
        while (page.get("results").size() >= page.get("page_size").asInt()) {
            page = json(engageGet(query("page_size", "10", "page", Integer.toString(expected), "session_id",
                    page.get("session_id").asText())));
            assertThat(page.get("page").asInt()).isEqualTo(expected++);
            assertThat(page.get("total").asInt()).as("the total counted when the listing started").isEqualTo(25);
            seen.addAll(ids(page));
        }
        assertThat(seen).doesNotHaveDuplicates();
        List<String> expectedIds = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            if (!String.format("p%02d", i).equals(gone)) {
                expectedIds.add(String.format("p%02d", i));
            }
        }
        expectedIds.add(after);
        expectedIds.sort((a, b) -> IndexKeys.compare(key(a), key(b)));
        assertThat(seen).containsExactlyElementsOf(expectedIds);
    }

    private byte[] key(String distinctId) {
        return server.app.db().keys().person(projectId(), distinctId);
    }

    /** A new id ("new-0", "new-1", ...) whose person key passes the test. */
    private String idWhoseKey(java.util.function.Predicate<byte[]> test) {
        for (int i = 0; ; i++) {
            if (test.test(key("new-" + i))) {
                return "new-" + i;
            }
        }
    }

    @Test
    void a_client_that_reuses_the_first_session_id_still_gets_each_page() {
        for (int i = 0; i < 7; i++) {
            setProfile("p" + i, "n", i);
        }
        JsonNode first = json(engagePost("/api/query/engage", query("page_size", "3")));
        String session = first.get("session_id").asText();
        Set<String> seen = new HashSet<>(ids(first));
        for (int page = 1; page <= 2; page++) {
            seen.addAll(ids(engagePost("/api/query/engage", query("page_size", "3", "page", Integer.toString(page), "session_id", session))));
        }
        assertThat(seen).hasSize(7);
    }

    @Test
    void paging_mistakes_are_400s() {
        setProfile("u1", "n", 1);
        assertThat(json(engageGet(query("page", "1"))).get("error").asText()).contains("session_id");
        String session = json(engageGet(query("page_size", "1"))).get("session_id").asText();
        HttpResponse<String> other = engageGet(query("page_size", "2", "page", "1", "session_id", session));
        assertThat(other.statusCode()).isEqualTo(400);
        assertThat(json(other).get("error").asText()).contains("another query");
        HttpResponse<String> forged = engageGet(query("page_size", "1", "page", "1", "session_id", session.substring(0, 10) + "AAAA"));
        assertThat(forged.statusCode()).isEqualTo(400);
        assertThat(engageGet(query("filter_by_cohort", "{\"id\":1}")).statusCode()).isEqualTo(400);
        assertThat(engageGet(query("page_size", "1001")).statusCode()).isEqualTo(400);
    }

    @Test
    void malformed_percent_encoding_is_a_400_not_a_page_without_the_filter() {
        setProfile("u1", "n", 1);
        setProfile("u2", "n", 2);
        RawResponse query = rawGet("/api/2.0/engage?distinct_id=%ZZ", secretAuth());
        assertThat(query.status()).as(query.body()).isEqualTo(400);
        assertThat(query.body()).contains("malformed percent-encoding in the query parameter \\\"distinct_id\\\"");
        assertThat(rawGet("/api/2.0/engage?distinct_id=u1&x%G=1", secretAuth()).status()).isEqualTo(400);
        HttpResponse<String> form = engagePost("/api/2.0/engage", "where=properties%5B%22n%22%5D%20%3D%3D%201%ZZ");
        assertThat(form.statusCode()).isEqualTo(400);
        assertThat(json(form).get("error").asText()).contains("malformed percent-encoding");
        HttpResponse<String> notUtf8 = engagePost("/api/query/engage", "distinct_id=%C3%28");
        assertThat(notUtf8.statusCode()).isEqualTo(400);
        assertThat(json(notUtf8).get("error").asText()).contains("UTF-8");
        assertThat(ids(engagePost("/api/2.0/engage", "distinct_id=u%31"))).containsExactly("u1");
    }

    @Test
    void a_body_that_is_not_a_form_is_refused_with_415_naming_where_parameters_go() {
        setProfile("u1", "n", 1);
        setProfile("u2", "n", 2);
        for (String type : new String[] {"application/json", "text/plain", "multipart/form-data; boundary=x"}) {
            HttpResponse<String> r = described("POST", "/api/2.0/engage", server.send(HttpRequest.newBuilder(server.uri("/api/2.0/engage"))
                    .header("Authorization", secretAuth()).header("Content-Type", type)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"distinct_id\": \"u1\"}"))));
            assertThat(r.statusCode()).as(type).isEqualTo(415);
            assertThat(json(r).get("error").asText()).contains(
                    "parameters must be in the query string or an application/x-www-form-urlencoded body", type);
        }
        HttpResponse<String> gzip = described("POST", "/api/query/engage", server.send(HttpRequest.newBuilder(server.uri("/api/query/engage"))
                .header("Authorization", secretAuth()).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Content-Encoding", "gzip").POST(HttpRequest.BodyPublishers.ofByteArray(Gzip.bytes("distinct_id=u1".getBytes(StandardCharsets.UTF_8))))));
        assertThat(gzip.statusCode()).isEqualTo(415);
        assertThat(json(gzip).get("error").asText()).contains("Content-Encoding gzip");
        HttpResponse<String> noBody = server.send(HttpRequest.newBuilder(server.uri("/api/2.0/engage?distinct_id=u2"))
                .header("Authorization", secretAuth()).POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(ids(noBody)).containsExactly("u2");
    }

    @Test
    void a_get_carrying_a_body_is_refused_not_answered_without_its_filters() {
        setProfile("u1", "n", 1);
        setProfile("u2", "n", 2);
        for (String path : new String[] {"/api/2.0/engage", "/api/2.0/export?from_date=2026-11-01&to_date=2026-11-02"}) {
            HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri(path)).header("Authorization", secretAuth())
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .method("GET", HttpRequest.BodyPublishers.ofString("distinct_id=u1")));
            assertThat(r.statusCode()).as(path).isEqualTo(400);
            assertThat(json(r).get("error").asText()).contains("takes its parameters in the query string");
        }
    }

    @Test
    void a_parameter_given_twice_is_refused_not_answered_with_the_first_alone() {
        setProfile("u1", "n", 1);
        setProfile("u2", "n", 2);
        HttpResponse<String> query = engageGet(query("distinct_id", "u1") + "&distinct_id=u2");
        assertThat(query.statusCode()).isEqualTo(400);
        assertThat(json(query).get("error").asText()).isEqualTo("the query parameter \"distinct_id\" is given more than once");
        HttpResponse<String> form = engagePost("/api/2.0/engage", "where=properties%5B%22n%22%5D%20%3D%3D%201&where=true");
        assertThat(form.statusCode()).isEqualTo(400);
        assertThat(json(form).get("error").asText()).contains("the form field \"where\" is given more than once");
    }

    @Test
    void a_where_nested_too_deep_is_a_400_naming_it() {
        HttpResponse<String> r = engagePost("/api/2.0/engage",
                query("where", "(".repeat(2000) + "defined(properties[\"a\"])" + ")".repeat(2000)));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("error").asText()).startsWith("where: the expression nests too deep").contains("at offset 100");
    }

    @Test
    void a_form_body_with_a_malformed_escape_or_bad_utf8_is_a_400_not_a_guess() {
        setProfile("u1", "n", 1);
        HttpResponse<String> escape = engagePost("/api/query/engage", "where=%zz");
        assertThat(escape.statusCode()).isEqualTo(400);
        assertThat(json(escape).get("error").asText()).contains("malformed percent-encoding", "where");
        HttpResponse<String> utf8 = engagePost("/api/query/engage", "distinct_id=%FF");
        assertThat(utf8.statusCode()).isEqualTo(400);
        assertThat(json(utf8).get("error").asText()).contains("the form field \"distinct_id\" is not valid UTF-8");
    }

    @Test
    void profiles_of_a_suppressed_id_are_left_out() {
        setProfile("held", "n", 1);
        setProfile("kept", "n", 2);
        server.app.db().inTransaction(c -> {
            server.app.suppressions().hold(c, projectId(), Set.of("held"), 1L, server.clock.millis());
            return null;
        });
        JsonNode body = json(engageGet(""));
        assertThat(ids(body)).containsExactly("kept");
        assertThat(body.get("total").asInt()).isEqualTo(1);
    }


    static List<String> ids(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return ids(json(r));
    }

    static List<String> ids(JsonNode body) {
        List<String> out = new ArrayList<>();
        body.get("results").forEach(p -> out.add(p.get("$distinct_id").asText()));
        return out;
    }
}
