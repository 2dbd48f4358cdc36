package dev.lethe.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.auth.Role;
import dev.lethe.config.LetheConfig;
import dev.lethe.gdpr.OpenApiSpec;
import dev.lethe.json.Json;
import dev.lethe.project.ProjectStore;
import dev.lethe.testing.StoreFixture;
import dev.lethe.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/** A server with one project whose data arrives through the real ingestion endpoints, and a client of the read APIs. */
abstract class ReadApiTestBase {

    abstract StoreFixture store();

    @TempDir
    Path tmp;
    TestServer server;
    ProjectStore.Created project;

    UnaryOperator<LetheConfig.Builder> config() {
        return b -> b;
    }

    @BeforeEach
    void startServer() {
        server = TestServer.start(store(), tmp, config());
        project = server.createProject("reads");
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    long projectId() {
        return project.project().id();
    }

    /** The project's api_secret as Basic user with an empty password: the form Mixpanel documents. */
    String secretAuth() {
        return basic(project.apiSecret() + ":");
    }

    static String basic(String userColonPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userColonPassword.getBytes(StandardCharsets.UTF_8));
    }

    /** A service account with this role on the project; returns its Authorization header. */
    String serviceAccount(Role role) {
        var created = server.app.serviceAccounts().create("reader", projectId(), role);
        return basic(created.username() + ":" + created.secret());
    }

    /** An event as an SDK sends it: time in seconds, properties given as key, value pairs. */
    static ObjectNode event(String name, String distinctId, long timeMs, String insertId, Object... keyValues) {
        ObjectNode e = Json.object();
        e.put("event", name);
        ObjectNode p = e.putObject("properties");
        p.put("distinct_id", distinctId);
        p.put("time", timeMs);
        p.put("$insert_id", insertId);
        for (int i = 0; i < keyValues.length; i += 2) {
            p.set((String) keyValues[i], Json.MAPPER.valueToTree(keyValues[i + 1]));
        }
        return e;
    }

    void importEvents(List<ObjectNode> events) {
        for (int start = 0; start < events.size(); start += 2000) {
            ArrayNode batch = Json.MAPPER.createArrayNode();
            events.subList(start, Math.min(events.size(), start + 2000)).forEach(batch::add);
            HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri("/import"))
                    .header("Authorization", secretAuth()).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.write(batch))));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
    }

    void importEvents(ObjectNode... events) {
        importEvents(List.of(events));
    }

    /** Sets profile properties through /engage; values given as key, value pairs. */
    void setProfile(String distinctId, Object... keyValues) {
        ObjectNode u = Json.object();
        u.put("$token", project.project().token());
        u.put("$distinct_id", distinctId);
        ObjectNode set = u.putObject("$set");
        for (int i = 0; i < keyValues.length; i += 2) {
            set.set((String) keyValues[i], Json.MAPPER.valueToTree(keyValues[i + 1]));
        }
        engage(u);
    }

    void deleteProfile(String distinctId) {
        ObjectNode u = Json.object();
        u.put("$token", project.project().token());
        u.put("$distinct_id", distinctId);
        u.put("$delete", "");
        engage(u);
    }

    private void engage(ObjectNode update) {
        HttpResponse<String> r = server.postForm("/engage", "data=" + enc(Json.write(update)));
        assertThat(r.body()).isEqualTo("1");
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Builds a query string from name, value pairs (values URL-encoded). */
    static String query(String... nameValues) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            parts.add(nameValues[i] + "=" + enc(nameValues[i + 1]));
        }
        return String.join("&", parts);
    }

    HttpResponse<String> get(String pathAndQuery, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(pathAndQuery)).GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return server.send(b);
    }

    HttpResponse<String> postForm(String path, String form, String authorization) {
        return server.send(HttpRequest.newBuilder(server.uri(path)).header("Authorization", authorization)
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    /** A status and body read off the wire. */
    record RawResponse(int status, String body) {
    }

    /**
     * A GET sent byte for byte, for a query string the JDK client refuses to send (a malformed
     * escape such as {@code %ZZ}); the body is read whole, so assert on what it contains.
     */
    RawResponse rawGet(String pathAndQuery, String authorization) {
        try (Socket s = new Socket("127.0.0.1", server.app.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + authorization
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new RawResponse(Integer.parseInt(response.substring(9, 12)), response.substring(response.indexOf("\r\n\r\n") + 4));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fails unless the OpenAPI document describes this response of the operation at {@code path}. */
    static HttpResponse<String> described(String method, String path, HttpResponse<String> r) {
        OpenApiSpec.assertDescribes(method, path, r);
        return r;
    }

    static JsonNode json(HttpResponse<String> r) {
        return Json.readTrusted(r.body());
    }

    static List<JsonNode> lines(String ndjson) {
        List<JsonNode> out = new ArrayList<>();
        for (String line : ndjson.split("\n")) {
            if (!line.isEmpty()) {
                out.add(Json.readTrusted(line));
            }
        }
        return out;
    }
}
