package dev.lethe.bench;

import dev.lethe.bench.BenchMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A tiny run of {@code lethe bench}, so the benchmark keeps working: behaviour, not timing. */
class BenchSmokeTest {

    @Test
    void a_tiny_run_reports_every_figure_with_all_tasks_done_and_the_deleted_people_gone(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("report.md");
        StringWriter stdout = new StringWriter();
        var cli = BenchMain.commandLine();
        cli.setOut(new PrintWriter(stdout));
        cli.setErr(new PrintWriter(new StringWriter()));

        int exit = cli.execute("bench", "--events", "3000", "--people", "60", "--targets", "10", "--scale", "2",
                "--clients", "2", "--import-events", "2500", "--status-requests", "200",
                "--work-dir", dir.resolve("work").toString(), "--out", out.toString());

        assertThat(exit).isZero();
        String report = Files.readString(out);
        assertThat(stdout.toString()).isEqualTo(report);
        assertThat(report).contains("command: `lethe bench --events 3000", "machine: ", "JVM: ", "store: sqlite");
        Map<String, Double> figures = figures(report);
        assertThat(figures.keySet()).anyMatch(f -> f.startsWith("(a) ingestion, bulk path"))
                .anyMatch(f -> f.startsWith("(a) ingestion, `/import`"))
                .anyMatch(f -> f.startsWith("(b) deletion of 10 people"))
                .anyMatch(f -> f.startsWith("(c) retrieval of 10 people"))
                .anyMatch(f -> f.startsWith("(d) status GETs"))
                .anyMatch(f -> f.startsWith("(e) SQL baseline: deletion"))
                .anyMatch(f -> f.startsWith("(e) SQL baseline: retrieval"))
                .anyMatch(f -> f.startsWith("(f) deletion of the same 10 people, 2x store"))
                .anyMatch(f -> f.startsWith("(g) peak heap live after a collection, exporting `user-0`"))
                .anyMatch(f -> f.startsWith("(g) peak heap used, garbage included, exporting `user-0`"));
        figures.forEach((figure, value) -> {
            if (figure.startsWith("(e) SQL baseline")) {
                // why: the baseline of ten tiny people can take under 5 ms, which the report rounds to 0.00 s.
                assertThat(value).as(figure).isNotNegative();
            } else if (!figure.startsWith("events of the deleted people left") && !figure.equals("requests retried (503/429)")) {
                assertThat(value).as(figure).isPositive();
            }
        });
        assertThat(figures.get("events stored in the 1x store (bulk path)")).isEqualTo(3000 + 6);
        assertThat(figures.get("events imported through /import")).isEqualTo(2500);
        assertThat(figures.get("deletion tasks SUCCESS")).isEqualTo(10);
        assertThat(figures.get("retrieval tasks SUCCESS")).isEqualTo(10);
        assertThat(figures.get("events of the deleted people left after SUCCESS")).isZero();
        assertThat(figures.get("requests retried (503/429)")).isNotNegative();
        assertThat(figures.get("events stored in the 2x store")).isEqualTo(2 * (3000 + 6));
        assertThat(dir.resolve("work")).isEmptyDirectory();
    }

    /** figure name to value, from the report's table. */
    private static Map<String, Double> figures(String markdown) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String line : markdown.split("\n")) {
            String[] cells = line.split("\\|");
            if (cells.length > 3 && cells[1].trim().matches("\\(?[a-z].*") && !cells[1].trim().equals("figure")) {
                out.put(cells[1].trim(), Double.parseDouble(cells[2].trim().replace(",", "")));
            }
        }
        return out;
    }
}
