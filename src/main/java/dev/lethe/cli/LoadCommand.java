package dev.lethe.cli;

import dev.lethe.app.LetheApp;
import dev.lethe.config.LetheConfig;
import dev.lethe.ingest.EventLoader;
import dev.lethe.ingest.LoadSummary;
import dev.lethe.ingest.ProfileTarget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

@Command(name = "load", mixinStandardHelpOptions = true,
        description = {"Bulk-load a file as Mixpanel exports it: events in the raw-export format (JSON lines, optionally .gz,"
                + " time in seconds or milliseconds) and profiles in the engage-export format"
                + " ({\"$distinct_id\": ..., \"$properties\": {...}} a line, or whole engage API pages).",
                "Loading the same file again stores nothing twice."})
public final class LoadCommand implements Callable<Integer> {

    @Mixin
    StoreOptions store;

    @Option(names = "--project", required = true, description = "Project id to load into")
    long projectId;

    @Option(names = "--batch-size", defaultValue = "20000", description = "Events per transaction (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--group-key", description = "Load the file's profiles as group profiles of this group key (e.g. company_id),"
            + " as Mixpanel exports them for a data_group_id")
    String groupKey;

    @Parameters(index = "0", paramLabel = "FILE", description = "JSON lines: {\"event\": ..., \"properties\": {...}} or"
            + " {\"$distinct_id\": ..., \"$properties\": {...}} a line")
    Path file;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isRegularFile(file)) {
            err.println("lethe load: no such file: " + file);
            return 1;
        }
        if (groupKey != null && groupKey.isBlank()) {
            err.println("lethe load: --group-key must not be empty");
            return 2;
        }
        if (batchSize < 1) {
            err.println("lethe load: --batch-size must be at least 1");
            return 2;
        }
        Clock clock = Clock.systemUTC();
        try (LetheApp app = new LetheApp(LetheConfig.builder(store.toConfig()).build(), clock)) {
            if (app.projects().byId(projectId).isEmpty()) {
                err.println("lethe load: no project " + projectId);
                return 1;
            }
            LoadSummary summary;
            try (InputStream in = Files.newInputStream(file)) {
                ProfileTarget profiles = groupKey == null ? ProfileTarget.users(app.profileIngester())
                        : ProfileTarget.groups(app.groupIngester(), groupKey);
                summary = new EventLoader(app.eventIngester(), profiles, clock, batchSize).load(projectId, in, progress(err));
            }
            if (System.console() != null) {
                err.println();
            }
            spec.commandLine().getOut().println(summary.toJson());
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    /** Progress only on a terminal, so piped stderr stays clean. */
    private static Consumer<LoadSummary> progress(PrintWriter err) {
        if (System.console() == null) {
            return s -> { };
        }
        long start = System.nanoTime();
        return s -> {
            double seconds = Math.max(1e-3, (System.nanoTime() - start) / 1e9);
            err.printf("\rloaded %,d  duplicates %,d  profiles %,d  rejected %,d  (%,.0f lines/s)",
                    s.loaded(), s.duplicates(), s.profiles(), s.rejected(),
                    (s.loaded() + s.duplicates() + s.profiles() + s.rejected()) / seconds);
            err.flush();
        };
    }
}
