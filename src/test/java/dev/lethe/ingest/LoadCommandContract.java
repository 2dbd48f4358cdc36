package dev.lethe.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.Lethe;
import dev.lethe.event.EventRecord;
import dev.lethe.json.Json;
import dev.lethe.store.StoreConfig;
import dev.lethe.testing.Gzip;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.lethe.ingest.EventBuilder.event;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code lethe load} end to end: a raw-export file in, a JSON summary out, the events stored. */
abstract class LoadCommandContract extends IngestTestBase {

    record Run(int exitCode, String out, String err) {
        JsonNode summary() {
            return Json.readTrusted(out);
        }
    }

    private Run load(String... args) {
        StoreConfig store = server.app.config().store();
        List<String> all = new ArrayList<>(List.of("load", "--data-dir", store.dataDir().toString(),
                "--store", store.kind().name().toLowerCase()));
        if (store.jdbcUrl() != null) {
            all.addAll(List.of("--jdbc-url", store.jdbcUrl()));
        }
        if (store.dbUser() != null) {
            all.addAll(List.of("--db-user", store.dbUser(), "--db-password", String.valueOf(store.dbPassword())));
        }
        all.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Lethe.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(all.toArray(String[]::new));
        return new Run(code, out.toString().trim(), err.toString());
    }

    private Path file(String name, String content, boolean gzip) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        return Files.write(tmp.resolve(name), gzip ? Gzip.bytes(bytes) : bytes);
    }

    private String exportLines() {
        return String.join("\n",
                event("Viewed").distinctId("u1").time(1_600_000_000L).insertId("a").json(),
                event("Viewed").distinctId("u1").time(1_600_000_001_500L).insertId("b").json(),
                event("Viewed").distinctId("u1").time(1_600_000_000L).insertId("a").json(),
                "",
                "{not json",
                event("Viewed").distinctId("u2").insertId("c").json(),
                event("$create_alias").distinctId("u2").time(1_600_000_000L).prop("alias", "anon-2").json()) + "\n";
    }

    @Test
    void loads_a_raw_export_and_prints_a_summary() throws IOException {
        Run run = load("--project", Long.toString(projectId()), file("export.jsonl", exportLines(), false).toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.summary()).isEqualTo(Json.readTrusted("{\"loaded\":3,\"duplicates\":1,\"profiles\":0,\"rejected\":2,"
                + "\"reasons\":{\"invalid JSON\":1,\"properties.time is missing\":1}}"));
        List<EventRecord> events = eventsOf("u1");
        assertThat(events).extracting(EventRecord::timeMs).containsExactly(1_600_000_000_000L, 1_600_000_001_500L);
        assertThat(events).allSatisfy(e -> assertThat(e.source()).isEqualTo("load"));
        assertThat(server.app.resolver().resolve(projectId(), List.of("anon-2"))).containsExactly("anon-2", "u2");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void loads_a_gzipped_file_in_small_batches() throws IOException {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 250; i++) {
            lines.append(event("E").distinctId("u" + (i % 7)).time(1_600_000_000L + i).insertId("i" + i).json()).append('\n');
        }
        Run run = load("--project", Long.toString(projectId()), "--batch-size", "100",
                file("export.jsonl.gz", lines.toString(), true).toString());
        assertThat(run.summary().get("loaded").asInt()).isEqualTo(250);
        assertThat(rows("events")).isEqualTo(250);
    }

    @Test
    void loading_the_same_file_twice_stores_each_event_once() throws IOException {
        Path f = file("export.jsonl", exportLines(), false);
        load("--project", Long.toString(projectId()), f.toString());
        Run again = load("--project", Long.toString(projectId()), f.toString());
        assertThat(again.summary().get("loaded").asInt()).isEqualTo(1);
        assertThat(again.summary().get("duplicates").asInt()).isEqualTo(3);
        assertThat(rows("events")).isEqualTo(2);
    }

    /** What Mixpanel's raw export API writes: one event a line, time in seconds, Mixpanel's own properties. */
    private static String rawExportLine(String event, String distinctId, long time, String insertId) {
        ObjectNode line = Json.object();
        line.put("event", event);
        ObjectNode p = line.putObject("properties");
        p.put("time", time);
        p.put("distinct_id", distinctId);
        if (insertId != null) {
            p.put("$insert_id", insertId);
        }
        p.put("$mp_api_endpoint", "api.mixpanel.com");
        p.put("mp_processing_time_ms", time * 1000 + 1234);
        p.put("$os", "Mac OS X");
        return Json.write(line);
    }

    /** What Mixpanel's profile export writes: {"$distinct_id": ..., "$properties": {...}}. */
    private static String exportedProfile(String distinctId, String name) {
        ObjectNode profile = Json.object();
        profile.put("$distinct_id", distinctId);
        ObjectNode p = profile.putObject("$properties");
        p.put("$name", name);
        p.put("$last_seen", "2020-09-13T12:26:40");
        return Json.write(profile);
    }

    @Test
    void moves_a_project_from_mixpanel_events_gzipped_and_profiles_as_exported() throws IOException {
        StringBuilder events = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            // why: exports hold seconds; files put together from other tools hold milliseconds; both must load.
            long time = i % 2 == 0 ? 1_600_000_000L + i : (1_600_000_000L + i) * 1000;
            events.append(rawExportLine(i % 3 == 0 ? "Signed up" : "Viewed", "u" + (i % 10), time, i % 5 == 0 ? null : "mp-" + i))
                    .append('\n');
        }
        Path eventsFile = file("mixpanel-export.json.gz", events.toString(), true);
        StringBuilder people = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            people.append(exportedProfile("u" + i, "User " + i)).append('\n');
        }
        Path peopleFile = file("mixpanel-people.json", people.toString(), false);

        Run eventsRun = load("--project", Long.toString(projectId()), eventsFile.toString());
        Run peopleRun = load("--project", Long.toString(projectId()), peopleFile.toString());
        Run again = load("--project", Long.toString(projectId()), eventsFile.toString());

        assertThat(eventsRun.summary().get("loaded").asInt()).isEqualTo(300);
        assertThat(eventsRun.summary().get("rejected").asInt()).isZero();
        assertThat(again.summary().get("loaded").asInt()).isZero();
        assertThat(again.summary().get("duplicates").asInt()).isEqualTo(300);
        assertThat(rows("events")).isEqualTo(300);
        assertThat(eventsOf("u1")).extracting(EventRecord::timeMs).contains(1_600_000_001_000L, 1_600_000_011_000L);
        assertThat(peopleRun.summary().get("profiles").asInt()).isEqualTo(10);
        assertThat(rows("profiles")).isEqualTo(10);
        assertThat(server.app.profiles().get(projectId(), "u3").orElseThrow().get("$name").asText()).isEqualTo("User 3");
    }

    @Test
    void loads_a_saved_engage_api_page_and_rejects_a_bad_profile() throws IOException {
        String page = "{\"page\":0,\"page_size\":1000,\"session_id\":\"1234\",\"status\":\"ok\",\"total\":3,\"results\":["
                + exportedProfile("a", "Ann") + "," + exportedProfile("b", "Bob") + ",{\"$distinct_id\":\"c\",\"$properties\":[]}]}";
        Run run = load("--project", Long.toString(projectId()), file("engage-page.json", page, false).toString());
        assertThat(run.summary().get("profiles").asInt()).isEqualTo(2);
        assertThat(run.summary().get("rejected").asInt()).isEqualTo(1);
        assertThat(run.summary().get("reasons").get("$properties must be a JSON object").asInt()).isEqualTo(1);
        assertThat(server.app.profiles().get(projectId(), "b").orElseThrow().get("$name").asText()).isEqualTo("Bob");
    }

    @Test
    void with_a_group_key_exported_profiles_become_group_profiles() throws IOException {
        String companies = exportedProfile("Acme", "Acme Inc") + "\n" + exportedProfile("Wayne", "Wayne Enterprises") + "\n";
        Run run = load("--project", Long.toString(projectId()), "--group-key", "company_id",
                file("companies.json", companies, false).toString());
        assertThat(run.summary().get("profiles").asInt()).isEqualTo(2);
        assertThat(server.app.groups().get(projectId(), "company_id", "Wayne").orElseThrow().get("$name").asText())
                .isEqualTo("Wayne Enterprises");
        assertThat(rows("profiles")).isZero();
    }

    @Test
    void a_missing_file_exits_non_zero_with_an_error() {
        Run run = load("--project", Long.toString(projectId()), tmp.resolve("nope.jsonl").toString());
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).contains("no such file");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void an_unknown_project_exits_non_zero_with_an_error() throws IOException {
        Run run = load("--project", "999999", file("export.jsonl", exportLines(), false).toString());
        assertThat(run.exitCode()).isNotZero();
        assertThat(run.err()).contains("no project 999999");
        assertNothingStored();
    }
}
