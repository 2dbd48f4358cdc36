package dev.lethe.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.testing.MixpanelImportTool;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static dev.lethe.ingest.EventBuilder.event;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The most used bulk-import tool for Mixpanel, {@code mixpanel-import} from the npm registry, run
 * with its defaults (batches of 2000, gzip, {@code strict=1}, the api_secret as Basic user) with only
 * its host pointed at Lethe (src/test/node/mixpanel-import/run.js), on a file where 5% of the events
 * have no {@code $insert_id}: what the tool reports must be what Lethe stored.
 */
abstract class ImportToolContract extends IngestTestBase {

    private static final int EVENTS = 10_000;

    @Override
    long maxBodyBytes() {
        return 10L * 1024 * 1024;
    }

    private record Report(long total, long success, long failed) {
    }

    private Report runTool(Path file) throws IOException, InterruptedException {
        JsonNode report = MixpanelImportTool.run("run.js", tmp,
                Map.of("LETHE_URL", server.baseUrl(), "LETHE_SECRET", project.apiSecret()), file.toAbsolutePath().toString());
        return new Report(report.get("total").asLong(), report.get("success").asLong(), report.get("failed").asLong());
    }

    private Path exportWithFivePercentWithoutInsertId() throws IOException {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < EVENTS; i++) {
            EventBuilder e = event(i % 4 == 0 ? "Signed up" : "Viewed").distinctId("user-" + (i % 500)).time(1_600_000_000L + i);
            if (i % 20 != 7) {
                e.insertId("evt-" + i);
            }
            lines.append(e.json()).append('\n');
        }
        return Files.writeString(tmp.resolve("events.jsonl"), lines.toString());
    }

    @Test
    void what_the_tool_reports_is_what_lethe_stored() throws Exception {
        Path file = exportWithFivePercentWithoutInsertId();

        Report report = runTool(file);

        long invalid = EVENTS / 20;
        assertThat(report.total()).isEqualTo(EVENTS);
        assertThat(report.failed()).isEqualTo(invalid);
        assertThat(report.success()).isEqualTo(EVENTS - invalid);
        assertThat(rows("events")).isEqualTo(report.success());
    }

    @Test
    void running_the_tool_again_stores_nothing_twice() throws Exception {
        Path file = exportWithFivePercentWithoutInsertId();
        runTool(file);

        Report again = runTool(file);

        assertThat(again.success()).isEqualTo(EVENTS - EVENTS / 20);
        assertThat(rows("events")).isEqualTo(EVENTS - EVENTS / 20);
    }
}
