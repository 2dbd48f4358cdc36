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
        assertThat(figures.keySet()).anyMatch(f -> f.startsWith("(b) JIT compiler threads' time during the deletions"))
                .anyMatch(f -> f.startsWith("(b) JIT compiler threads' time during those first deletions"));
        if (Files.isDirectory(Path.of("/proc/self/task"))) {
            assertThat(figures.keySet()).anyMatch(f -> f.startsWith("(b) CPU a deletion: the server's threads"))
                    .anyMatch(f -> f.startsWith("(b) CPU a deletion: the bench's clients"))
                    .anyMatch(f -> f.startsWith("(b) CPU a deletion: the JIT compiler's threads"))
                    .anyMatch(f -> f.startsWith("(b) CPU a deletion: the collector's and the VM's threads"))
                    .anyMatch(f -> f.startsWith("(b) the server threads' CPU a deletion against the SQL baseline's"))
                    .anyMatch(f -> f.startsWith("(f) CPU a deletion: the server's threads, 2x store"));
        }
        assertThat(figures.keySet()).anyMatch(f -> f.startsWith("(e) CPU a deletion: the SQL baseline's thread"));
        figures.forEach((figure, value) -> {
            if (figure.contains("JIT compiler threads' time") || figure.startsWith("(b) CPU a deletion")
                    || figure.startsWith("(b) the server threads' CPU") || figure.startsWith("(e) CPU a deletion")
                    || figure.startsWith("(f) CPU a deletion") || figure.startsWith("(f) the server threads' CPU")) {
                // why: a tiny run's deletions may pass without a single compilation finishing, and /proc counts
                // a thread's CPU in 10 ms ticks, so ten small deletions may show none for some threads
                assertThat(value).as(figure).isNotNegative();
            } else if (!figure.startsWith("(e) SQL baseline") && !figure.startsWith("events of the deleted people left")
                    && !figure.equals("requests retried (503/429)")) {
                assertThat(value).as(figure).isPositive();
            }
        });
        // why: the baseline of ten tiny people can take under 5 ms, which the report rounds to 0.00 s;
        // what shows that it ran is what it read, and that (b) and (c) are set against it.
        assertThat(figures.get("bytes read by the SQL baseline retrieval")).isPositive();
        Map<String, String> baselines = column(report, 4);
        assertThat(entryOf(baselines, "(b) deletion of 10 people")).isEqualTo(valueText(report, "(e) SQL baseline: deletion"));
        assertThat(entryOf(baselines, "(c) retrieval of 10 people")).isEqualTo(valueText(report, "(e) SQL baseline: retrieval"));
        assertThat(entryOf(baselines, "(f) deletion of the same 10 people, 2x store"))
                .as("(f) is set against (b)").isEqualTo(valueText(report, "(b) deletion of 10 people"));
        // why: the dataset is generated from a fixed seed, so the people the run picks are always the same.
        assertThat(figures.get("events of the deleted people before the deletion")).isEqualTo(355);
        assertThat(figures.keySet()).anyMatch(f -> f.startsWith("(g) peak heap used, garbage included, exporting `user-0` (647 events)"));
        assertThat(figures.get("events stored in the 1x store (bulk path)")).isEqualTo(3000 + 6);
        assertThat(figures.get("events exported")).as("the export streams every event the project holds")
                .isEqualTo(figures.get("events of the project in the store (SQL count)")).isGreaterThanOrEqualTo(3000);
        assertThat(figures.get("engage pages read")).as("60 profiles, a thousand a page").isEqualTo(1);
        assertThat(figures.get("events imported through /import")).isEqualTo(2500);
        assertThat(figures.get("deletion tasks SUCCESS")).isEqualTo(10);
        assertThat(figures.get("retrieval tasks SUCCESS")).isEqualTo(10);
        assertThat(figures.get("events of the deleted people left after SUCCESS")).isZero();
        // why: the bench's instances allow a million GDPR calls a second (no 429), and a tiny store is
        // never locked for the 30 s busy timeout (no 503).
        assertThat(figures.get("requests retried (503/429)")).isZero();
        assertThat(figures.get("events stored in the 2x store")).isEqualTo(2 * (3000 + 6));
        assertThat(dir.resolve("work")).isEmptyDirectory();
    }

    /** The text in the value column of the one figure starting with {@code prefix}. */
    private static String valueText(String markdown, String prefix) {
        return entryOf(column(markdown, 2), prefix);
    }

    /** The entry of the one figure starting with {@code prefix}. */
    private static String entryOf(Map<String, String> column, String prefix) {
        var matches = column.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).toList();
        assertThat(matches).as("figures starting with %s", prefix).hasSize(1);
        return matches.get(0).getValue();
    }

    /** figure name to the text of one column (2 value, 4 baseline), from the report's table. */
    private static Map<String, String> column(String markdown, int index) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : markdown.split("\n")) {
            String[] cells = line.split("\\|");
            if (cells.length > index && cells[1].trim().matches("\\(?[a-z].*") && !cells[1].trim().equals("figure")) {
                out.put(cells[1].trim(), cells[index].trim());
            }
        }
        return out;
    }

    /** figure name to value, from the report's table. */
    private static Map<String, Double> figures(String markdown) {
        Map<String, Double> out = new LinkedHashMap<>();
        column(markdown, 2).forEach((figure, value) -> out.put(figure, Double.parseDouble(value.replace(",", ""))));
        return out;
    }
}
