package dev.lethe.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.event.EventRecord;
import dev.lethe.json.Json;
import dev.lethe.project.ProjectStore;
import dev.lethe.testing.StoreFixture;
import dev.lethe.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A server on a fresh store with one project, and ways to send and inspect what it stored. */
abstract class IngestTestBase {

    abstract StoreFixture store();

    @TempDir
    Path tmp;
    TestServer server;
    ProjectStore.Created project;
    String token;

    /** Small, so limit tests stay cheap; a test of full 2000-record batches raises it. */
    long maxBodyBytes() {
        return 64 * 1024;
    }

    @BeforeEach
    void startServer() {
        server = TestServer.start(store(), tmp, b -> b.maxBodyBytes(maxBodyBytes()));
        project = server.createProject("ingest");
        token = project.project().token();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    long projectId() {
        return project.project().id();
    }

    List<EventRecord> eventsOf(String... distinctIds) {
        return server.app.events().list(projectId(), List.of(distinctIds));
    }

    /** All rows of a table for the project: proves that nothing at all was stored. */
    long rows(String table) {
        String sql = switch (table) {
            case "events" -> "SELECT COUNT(*) FROM events WHERE project_id = ?";
            case "profiles" -> "SELECT COUNT(*) FROM profiles WHERE project_id = ?";
            case "group_profiles" -> "SELECT COUNT(*) FROM group_profiles WHERE project_id = ?";
            case "identity_links" -> "SELECT COUNT(*) FROM identity_links WHERE project_id = ?";
            default -> throw new IllegalArgumentException(table);
        };
        return server.app.db().withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setLong(1, projectId());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    void assertNothingStored() {
        assertThat(rows("events")).isZero();
        assertThat(rows("profiles")).isZero();
        assertThat(rows("identity_links")).isZero();
        assertThat(rows("group_profiles")).isZero();
    }

    static JsonNode props(EventRecord e) {
        return Json.readTrusted(e.propertiesJson());
    }

    static String base64(String json) {
        return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }


    HttpResponse<String> post(String pathAndQuery, String contentType, byte[] body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri(pathAndQuery))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return server.send(request);
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static JsonNode json(HttpResponse<String> response) {
        return Json.readTrusted(response.body());
    }
}
