package dev.lethe.ingest;

import dev.lethe.testing.Gzip;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static dev.lethe.ingest.EventBuilder.event;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Malformed input of every kind: a 4xx with an error the client can read (JSON on /import,
 * {@code 0} or verbose JSON on /track and /engage), never a 500, and nothing stored.
 */
abstract class MalformedInputContract extends IngestTestBase {

    private HttpResponse<String> trackVerbose(String contentType, byte[] body, String... headers) {
        return post("/track?verbose=1", contentType, body, headers);
    }

    private void assertVerboseFailure(HttpResponse<String> r, int status, String errorPart) {
        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(json(r).get("status").asInt()).isZero();
        assertThat(json(r).get("error").asText()).contains(errorPart);
        assertNothingStored();
    }

    private HttpResponse<String> importBody(byte[] body, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Authorization";
        all[1] = basic(project.apiSecret(), "");
        System.arraycopy(headers, 0, all, 2, headers.length);
        return post("/import", "application/json", body, all);
    }

    private void assertJsonError(HttpResponse<String> r, int status, String errorPart) {
        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(json(r).get("status").asText()).isEqualTo("error");
        assertThat(json(r).get("error").asText()).contains(errorPart);
        assertNothingStored();
    }

    @Test
    void broken_json_body() {
        assertVerboseFailure(trackVerbose("application/json", "{\"event\": ".getBytes(StandardCharsets.UTF_8)), 400, "not valid JSON");
        assertJsonError(importBody("[{\"event\":".getBytes(StandardCharsets.UTF_8)), 400, "not valid JSON");
    }

    @Test
    void broken_json_inside_base64_data() {
        assertVerboseFailure(server.postForm("/track?verbose=1", "data=" + base64("{\"event\":")), 400, "not valid JSON");
    }

    @Test
    void bad_base64() {
        assertVerboseFailure(server.postForm("/track?verbose=1", "data=%%%not-base64!!"), 400, "percent-encoding");
        assertVerboseFailure(server.postForm("/track?verbose=1", "data=abc$def"), 400, "base64");
    }

    @Test
    void missing_data() {
        assertVerboseFailure(server.get("/track?verbose=1"), 400, "no data");
        assertThat(server.get("/track").body()).isEqualTo("0");
    }

    @Test
    void bad_gzip() {
        byte[] notGzip = "data=abc".getBytes(StandardCharsets.UTF_8);
        assertVerboseFailure(trackVerbose("application/x-www-form-urlencoded", notGzip, "Content-Encoding", "gzip"), 400, "gzip");
        byte[] truncated = Gzip.bytes(EventBuilder.array(event("a").distinctId("u").time(1L)).getBytes(StandardCharsets.UTF_8));
        byte[] cut = java.util.Arrays.copyOf(truncated, truncated.length - 6);
        assertJsonError(importBody(cut, "Content-Encoding", "gzip"), 400, "gzip");
    }

    @Test
    void invalid_utf8() {
        byte[] prefix = ("[{\"event\":\"a\",\"properties\":{\"distinct_id\":\"").getBytes(StandardCharsets.UTF_8);
        byte[] suffix = "\",\"time\":1600000000}}]".getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[prefix.length + 2 + suffix.length];
        System.arraycopy(prefix, 0, body, 0, prefix.length);
        body[prefix.length] = (byte) 0xC3;
        body[prefix.length + 1] = (byte) 0x28;
        System.arraycopy(suffix, 0, body, prefix.length + 2, suffix.length);
        assertJsonError(importBody(body), 400, "UTF-8");
        assertVerboseFailure(server.postForm("/track?verbose=1", "data=%C3%28"), 400, "UTF-8");
    }

    @Test
    void wrong_types() {
        assertVerboseFailure(server.postJson("/track?verbose=1", "42"), 400, "JSON object");
        assertVerboseFailure(server.postJson("/track?verbose=1",
                event("a").distinctId("u").token(token).json().replace("\"u\"", "{\"x\":1}")), 400, "distinct_id");
        assertVerboseFailure(server.postJson("/track?verbose=1",
                "{\"event\":\"a\",\"properties\":{\"distinct_id\":\"u\",\"token\":\"" + token + "\",\"time\":\"yesterday\"}}"), 400, "time");
        assertVerboseFailure(server.postJson("/track?verbose=1",
                "{\"event\":[\"a\"],\"properties\":{\"distinct_id\":\"u\",\"token\":\"" + token + "\"}}"), 400, "event");
        assertVerboseFailure(server.postJson("/track?verbose=1", "{\"event\":\"a\",\"properties\":[1]}"), 400, "properties");
        assertJsonError(importBody("{\"not\":\"an event\"}".getBytes(StandardCharsets.UTF_8)), 400, "record 0");
        assertJsonError(importBody("\"text\"".getBytes(StandardCharsets.UTF_8)), 400, "JSON object");
    }

    @Test
    void more_than_2000_events() {
        String body = "[" + String.join(",", java.util.Collections.nCopies(2001, "{}")) + "]";
        assertJsonError(importBody(body.getBytes(StandardCharsets.UTF_8)), 400, "at most 2000");
        assertVerboseFailure(server.postJson("/track?verbose=1", body), 400, "at most 2000");
    }

    @Test
    void unknown_token() {
        assertVerboseFailure(server.postJson("/track?verbose=1", event("a").distinctId("u").token("nope").json()), 401, "token");
    }

    @Test
    void missing_auth_on_import() {
        HttpResponse<String> r = post("/import", "application/json", "[]".getBytes(StandardCharsets.UTF_8));
        assertJsonError(r, 401, "Basic");
    }

    @Test
    void body_over_the_limit() {
        byte[] big = ("data=" + "A".repeat(70 * 1024)).getBytes(StandardCharsets.UTF_8);
        assertVerboseFailure(trackVerbose("application/x-www-form-urlencoded", big), 413, "limit");
        assertJsonError(importBody(big), 413, "limit");
    }

    @Test
    void a_gzip_bomb_over_the_limit_once_inflated() {
        byte[] bomb = Gzip.bytes(("[" + " ".repeat(200 * 1024) + "]").getBytes(StandardCharsets.UTF_8));
        assertThat(bomb.length).isLessThan(64 * 1024);
        assertJsonError(importBody(bomb, "Content-Encoding", "gzip"), 413, "limit");
    }

    @Test
    void unsupported_content_encoding() {
        assertJsonError(importBody("[]".getBytes(StandardCharsets.UTF_8), "Content-Encoding", "br"), 415, "Content-Encoding");
    }

    @Test
    void a_nul_character_anywhere_in_a_record_is_400_on_every_endpoint() {
        // the JSON escape \u0000, as text: the character the parser then hands over
        String nul = "a\\u0000b";
        String props = "\"distinct_id\":\"u\",\"token\":\"" + token + "\"";
        assertVerboseFailure(server.postJson("/track?verbose=1",
                "{\"event\":\"a\",\"properties\":{" + props + ",\"note\":\"" + nul + "\"}}"), 400, "NUL");
        assertVerboseFailure(server.postJson("/track?verbose=1",
                "{\"event\":\"a\",\"properties\":{\"distinct_id\":\"" + nul + "\",\"token\":\"" + token + "\"}}"), 400, "NUL");
        assertVerboseFailure(server.postJson("/track?verbose=1",
                "{\"event\":\"" + nul + "\",\"properties\":{" + props + "}}"), 400, "NUL");
        assertVerboseFailure(server.postJson("/track?verbose=1",
                "{\"event\":\"a\",\"properties\":{" + props + ",\"" + nul + "\":[{\"x\":1}]}}"), 400, "NUL");
        assertJsonError(importBody(("[{\"event\":\"a\",\"properties\":{\"distinct_id\":\"u\",\"time\":1600000000,"
                + "\"list\":[[\"" + nul + "\"]]}}]").getBytes(StandardCharsets.UTF_8)), 400, "NUL");
        assertVerboseFailure(server.postJson("/engage?verbose=1",
                "{\"$token\":\"" + token + "\",\"$distinct_id\":\"u\",\"$set\":{\"name\":\"" + nul + "\"}}"), 400, "NUL");
    }

    @Test
    void a_number_out_of_a_doubles_range_is_400_on_every_endpoint_naming_where_it_is() {
        String props = "\"distinct_id\":\"u\",\"token\":\"" + token + "\"";
        assertVerboseFailure(server.postJson("/track?verbose=1",
                "{\"event\":\"a\",\"properties\":{" + props + ",\"n\":1e400}}"), 400, "properties.n is a number out of range");
        assertVerboseFailure(server.postJson("/track?verbose=1",
                "{\"event\":\"a\",\"properties\":{" + props + ",\"o\":{\"l\":[1,-0.1e99999]}}}"), 400, "properties.o.l[1] is a number out of range");
        assertVerboseFailure(server.postJson("/track?verbose=1",
                "{\"event\":\"a\",\"properties\":{" + props + ",\"n\":1e-400}}"), 400, "properties.n is a number out of range");
        HttpResponse<String> imported = importBody(("[{\"event\":\"a\",\"properties\":{\"distinct_id\":\"u\",\"time\":1600000000,"
                + "\"n\":-1e400}}]").getBytes(StandardCharsets.UTF_8));
        assertJsonError(imported, 400, "record 0: properties.n is a number out of range");
        assertThat(json(imported).get("failed_records").get(0).get("field").asText()).isEqualTo("properties.n");
        assertVerboseFailure(server.postJson("/engage?verbose=1",
                "{\"$token\":\"" + token + "\",\"$distinct_id\":\"u\",\"$set\":{\"x\":1e400}}"), 400, "update.$set.x is a number out of range");
        assertVerboseFailure(server.postJson("/engage?verbose=1",
                "{\"$token\":\"" + token + "\",\"$distinct_id\":\"u\",\"$union\":{\"x\":[1e-400]}}"), 400, "update.$union.x[0] is a number");
        assertVerboseFailure(server.postJson("/groups?verbose=1", "{\"$token\":\"" + token
                + "\",\"$group_key\":\"c\",\"$group_id\":\"g\",\"$set_once\":{\"x\":-1e400}}"), 400, "update.$set_once.x is a number");
    }

    @Test
    void a_time_that_overflows_when_scaled_to_milliseconds_is_400() {
        for (String time : new String[] {"-18446744073709551", "-9223372036854775808", "-0.0001", "1e300"}) {
            assertVerboseFailure(server.postJson("/track?verbose=1", "{\"event\":\"a\",\"properties\":{\"distinct_id\":\"u\","
                    + "\"token\":\"" + token + "\",\"time\":" + time + "}}"), 400, "properties.time is out of range");
        }
    }

    @Test
    void each_json_limit_is_named_in_the_refusal() {
        String props = "\"distinct_id\":\"u\",\"token\":\"" + token + "\"";
        assertVerboseFailure(server.postJson("/track?verbose=1", "{\"event\":\"a\",\"properties\":{" + props
                + ",\"n\":" + "9".repeat(1001) + "}}"), 400, "the body holds a number longer than 1000 characters");
        assertVerboseFailure(server.postJson("/track?verbose=1", "{\"event\":\"a\",\"properties\":{" + props
                + ",\"" + "k".repeat(50_001) + "\":1}}"), 400, "the body holds a key longer than 50000 characters");
        assertVerboseFailure(server.postJson("/track?verbose=1", "{\"event\":\"a\",\"properties\":{" + props
                + ",\"n\":" + "[".repeat(30) + "]".repeat(30) + "}}"), 400, "the body nests deeper than 20 levels");
    }

    @Test
    void a_raw_nul_byte_is_not_json_and_is_400() {
        String body = "{\"event\":\"a\",\"properties\":{\"distinct_id\":\"a" + (char) 0 + "b\",\"token\":\"" + token + "\"}}";
        assertVerboseFailure(server.postJson("/track?verbose=1", body), 400, "not valid JSON");
    }
}
