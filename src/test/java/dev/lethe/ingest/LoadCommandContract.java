package dev.lethe.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.Lethe;
import dev.lethe.event.EventRecord;
import dev.lethe.json.Json;
import dev.lethe.store.StoreConfig;
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
        return Files.write(tmp.resolve(name), gzip ? gzip(bytes) : bytes);
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
        assertThat(run.summary()).isEqualTo(Json.readTrusted("{\"loaded\":3,\"duplicates\":1,\"rejected\":2,"
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
