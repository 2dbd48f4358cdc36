package dev.lethe.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.testing.MixpanelImportTool;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code mixpanel-import}'s raw event export (npm registry), run with its defaults and only its
 * host pointed at Lethe (src/test/node/mixpanel-import/export.js): the file it writes holds
 * exactly the events Lethe holds for the range, in Mixpanel's shape, and no deleted person's.
 */
abstract class ExportToolContract extends ReadApiTestBase {

    private static final long NOV_1 = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();
    private static final long MINUTE = 60_000L;
    private static final int EVENTS = 3_000;

    @Test
    void the_tools_export_is_every_event_of_the_range_and_none_of_a_deleted_person() throws Exception {
        List<ObjectNode> events = new ArrayList<>();
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < EVENTS; i++) {
            String person = "user-" + (i % 60);
            String insertId = "evt-" + i;
            // two minutes apart: 4 days and 4 hours, so the last hours fall after the range
            long time = NOV_1 + (long) i * 2 * MINUTE;
            events.add(event(i % 3 == 0 ? "Signed up" : "Viewed", person, time, insertId, "plan", i % 2 == 0 ? "free" : "pro"));
            if (time < NOV_1 + 4 * 24 * 60 * MINUTE && !person.equals("user-7")) {
                expected.add(insertId);
            }
        }
        importEvents(events);
        deleteThroughTheApi("user-7");

        JsonNode summary = MixpanelImportTool.run("export.js", tmp, Map.of("LETHE_URL", server.baseUrl(),
                "LETHE_SECRET", project.apiSecret(), "START", "2026-11-01", "END", "2026-11-04"));

        List<JsonNode> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(tmp.resolve("mixpanel-exports"))) {
            for (Path f : files.toList()) {
                lines.addAll(lines(Files.readString(f)));
            }
        }
        assertThat(summary.get("failed").asLong()).isZero();
        assertThat(summary.get("success").asLong()).isEqualTo(expected.size());
        assertThat(lines).hasSize(expected.size());
        Set<String> exported = new HashSet<>();
        for (JsonNode line : lines) {
            JsonNode p = line.get("properties");
            exported.add(p.get("$insert_id").asText());
            assertThat(p.get("distinct_id").asText()).isNotEqualTo("user-7");
            assertThat(p.get("time").asLong()).as("seconds, as Mixpanel exports them").isLessThan(10_000_000_000L);
            assertThat(line.get("event").asText()).isIn("Signed up", "Viewed");
        }
        assertThat(exported).isEqualTo(expected);
    }

    private void deleteThroughTheApi(String distinctId) {
        var admin = server.app.serviceAccounts().create("gdpr", projectId(), dev.lethe.auth.Role.ADMIN);
        HttpResponse<String> created = server.send(HttpRequest.newBuilder(
                        server.uri("/api/app/data-deletions/v3.0?token=" + project.project().token()))
                .header("Authorization", basic(admin.username() + ":" + admin.secret())).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"distinct_ids\":[\"" + distinctId + "\"]}")));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        while (server.app.engine().runOnce()) {
            // each call advances one task a step
        }
    }
}
