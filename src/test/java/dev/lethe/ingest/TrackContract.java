package dev.lethe.ingest;

import dev.lethe.event.EventRecord;
import dev.lethe.testing.Gzip;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static dev.lethe.ingest.EventBuilder.event;
import static org.assertj.core.api.Assertions.assertThat;

/** /track as the SDKs use it: every way of packing data=, the answers they parse, and what is stored. */
abstract class TrackContract extends IngestTestBase {

    private EventBuilder signup(String id) {
        return event("Signed up").distinctId(id).token(token).time(1_700_000_000L).insertId("ins-" + id);
    }

    /** An event whose base64 holds both '+' and '/', the characters that URL handling mangles. */
    private String base64WithPlusAndSlash(String id) {
        String b64 = base64(signup(id).prop("note", "\u00e9~?\u00fc>\u00ff~?").json());
        assertThat(b64).contains("+", "/");
        return b64;
    }

    @Test
    void get_with_base64_data_stores_the_event_and_answers_exactly_1() {
        HttpResponse<String> r = server.get("/track?data=" + URLEncoder.encode(base64(signup("u1").json()), StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("1");
        List<EventRecord> stored = eventsOf("u1");
        assertThat(stored).singleElement().satisfies(e -> {
            assertThat(e.event()).isEqualTo("Signed up");
            assertThat(e.timeMs()).isEqualTo(1_700_000_000_000L);
            assertThat(e.insertId()).isEqualTo("ins-u1");
            assertThat(e.source()).isEqualTo("track");
        });
    }

    @Test
    void a_raw_plus_in_unencoded_base64_is_not_a_space_in_a_form_body() {
        String b64 = base64WithPlusAndSlash("u1");
        HttpResponse<String> r = server.postForm("/track", "data=" + b64);
        assertThat(r.body()).isEqualTo("1");
        assertThat(eventsOf("u1")).hasSize(1);
    }

    @Test
    void a_raw_plus_in_unencoded_base64_is_not_a_space_in_a_get_query() {
        HttpResponse<String> r = server.get("/track/?data=" + base64WithPlusAndSlash("u1"));
        assertThat(r.body()).isEqualTo("1");
        assertThat(eventsOf("u1")).hasSize(1);
    }

    @Test
    void url_encoded_base64_is_accepted() {
        String encoded = URLEncoder.encode(base64WithPlusAndSlash("u1"), StandardCharsets.UTF_8);
        assertThat(encoded).contains("%2B");
        assertThat(server.postForm("/track", "data=" + encoded).body()).isEqualTo("1");
        assertThat(eventsOf("u1")).hasSize(1);
    }

    @Test
    void url_safe_base64_without_padding_is_accepted() {
        String b64 = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(signup("u1").prop("note", "\u00e9~?\u00fc>\u00ff~?").json().getBytes(StandardCharsets.UTF_8));
        assertThat(server.get("/track?data=" + b64).body()).isEqualTo("1");
        assertThat(eventsOf("u1")).hasSize(1);
    }

    @Test
    void plain_json_data_is_accepted_form_encoded() {
        String form = "data=" + URLEncoder.encode(signup("u1").prop("plan", "pro plus").json(), StandardCharsets.UTF_8);
        assertThat(server.postForm("/track", form).body()).isEqualTo("1");
        assertThat(props(eventsOf("u1").get(0)).get("plan").asText()).isEqualTo("pro plus");
    }

    @Test
    void a_json_body_with_an_array_stores_every_event() {
        HttpResponse<String> r = server.postJson("/track", EventBuilder.array(signup("u1"), signup("u2")));
        assertThat(r.body()).isEqualTo("1");
        assertThat(eventsOf("u1", "u2")).hasSize(2);
    }

    @Test
    void a_gzipped_form_body_is_inflated() {
        byte[] body = Gzip.bytes(("data=" + base64WithPlusAndSlash("u1")).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = post("/track", "application/x-www-form-urlencoded", body, "Content-Encoding", "gzip");
        assertThat(r.body()).isEqualTo("1");
        assertThat(eventsOf("u1")).hasSize(1);
    }

    @Test
    void verbose_answers_json_status_1_with_null_error() {
        HttpResponse<String> r = server.postForm("/track/?verbose=1", "data=" + base64(signup("u1").json()));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("{\"status\":1,\"error\":null}");
    }

    @Test
    void verbose_in_the_form_body_counts_too() {
        HttpResponse<String> r = server.postForm("/track", "verbose=1&data=" + base64(signup("u1").json()));
        assertThat(json(r).get("status").asInt()).isEqualTo(1);
    }

    @Test
    void time_in_seconds_fractional_seconds_and_milliseconds_is_stored_in_milliseconds() {
        server.postJson("/track", EventBuilder.array(
                event("a").distinctId("s").token(token).time(1_700_000_000L),
                event("b").distinctId("f").token(token).time(1_700_000_000.123),
                event("c").distinctId("m").token(token).time(1_700_000_000_456L)));
        assertThat(eventsOf("s").get(0).timeMs()).isEqualTo(1_700_000_000_000L);
        assertThat(eventsOf("f").get(0).timeMs()).isEqualTo(1_700_000_000_123L);
        assertThat(eventsOf("m").get(0).timeMs()).isEqualTo(1_700_000_000_456L);
    }

    @Test
    void a_missing_time_is_the_time_received() {
        server.postJson("/track", event("a").distinctId("u1").token(token).json());
        assertThat(eventsOf("u1").get(0).timeMs()).isEqualTo(server.clock.millis());
    }

    @Test
    void the_token_is_not_stored_and_ip_1_adds_the_callers_ip() {
        server.postForm("/track?ip=1", "data=" + base64(signup("u1").json()));
        var props = props(eventsOf("u1").get(0));
        assertThat(props.has("token")).isFalse();
        assertThat(props.get("$ip").asText()).isEqualTo("127.0.0.1");
    }

    @Test
    void without_ip_1_no_ip_is_added() {
        server.postForm("/track?ip=0", "data=" + base64(signup("u1").json()));
        assertThat(props(eventsOf("u1").get(0)).has("$ip")).isFalse();
    }

    @Test
    void the_same_event_sent_twice_is_stored_once() {
        server.postJson("/track", signup("u1").json());
        server.postJson("/track", signup("u1").json());
        assertThat(eventsOf("u1")).hasSize(1);
    }

    @Test
    void without_insert_id_a_retry_is_stored_once_and_a_different_event_is_kept() {
        EventBuilder first = event("Viewed").distinctId("u1").token(token).time(1_700_000_000L).prop("page", "a");
        server.postJson("/track", first.json());
        server.postJson("/track", first.json());
        server.postJson("/track", event("Viewed").distinctId("u1").token(token).time(1_700_000_000L).prop("page", "b").json());
        List<EventRecord> stored = eventsOf("u1");
        assertThat(stored).hasSize(2);
        assertThat(stored).extracting(EventRecord::insertId).doesNotHaveDuplicates().allMatch(id -> id.length() == 32);
    }

    @Test
    void an_event_with_an_unknown_token_is_refused_with_0() {
        HttpResponse<String> r = server.postJson("/track", event("a").distinctId("u1").token("nope").json());
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).isEqualTo("0");
        assertNothingStored();
    }

    @Test
    void a_verbose_failure_names_the_problem() {
        HttpResponse<String> r = server.postJson("/track?verbose=1", event("a").distinctId("u1").json());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("status").asInt()).isZero();
        assertThat(json(r).get("error").asText()).contains("token");
    }

    @Test
    void one_bad_event_refuses_the_whole_batch() {
        HttpResponse<String> r = server.postJson("/track?verbose=1",
                EventBuilder.array(signup("u1"), event("").distinctId("u2").token(token)));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("error").asText()).startsWith("record 1:");
        assertNothingStored();
    }
}
