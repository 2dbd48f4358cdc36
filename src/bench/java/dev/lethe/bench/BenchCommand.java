package dev.lethe.bench;

import dev.lethe.cli.StoreOptions;
import dev.lethe.store.StoreConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure ingestion, deletion and retrieval through Lethe's HTTP API against a raw-SQL baseline, "
                + "on fresh throw-away stores (see docs/benchmarks.md).")
public final class BenchCommand implements Callable<Integer> {

    @Mixin
    StoreOptions store;

    @Option(names = "--events", defaultValue = "1000000", description = "Events in the 1x store (default: ${DEFAULT-VALUE})")
    long events;

    @Option(names = "--people", defaultValue = "20000", description = "People in the 1x store (default: ${DEFAULT-VALUE})")
    int people;

    @Option(names = "--seed", defaultValue = "42", description = "Dataset seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--targets", defaultValue = "2000", description = "People deleted, and other people retrieved (default: ${DEFAULT-VALUE})")
    int targets;

    @Option(names = "--scale", defaultValue = "10", description = "Size of the big store for figure (f), times the events (default: ${DEFAULT-VALUE})")
    int scale;

    @Option(names = "--skip-scale", description = "Skip the big store (figure (f))")
    boolean skipScale;

    @Option(names = "--clients", defaultValue = "4", description = "Concurrent HTTP clients (default: ${DEFAULT-VALUE})")
    int clients;

    @Option(names = "--import-events", description = "Events sent through /import (default: a fifth of --events, at most 200,000)")
    Long importEvents;

    @Option(names = "--status-requests", defaultValue = "20000", description = "Status GETs of figure (d) (default: ${DEFAULT-VALUE})")
    int statusRequests;

    @Option(names = "--work-dir", description = "Where the throw-away data directories go (default: a new temporary directory)")
    Path workDir;

    @Option(names = "--keep", description = "Keep the data directories and databases afterwards")
    boolean keep;

    @Option(names = "--out", description = "Markdown report (default: bench-results/bench-<timestamp>.md)")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        BenchSettings settings = new BenchSettings(events, people, seed, targets, scale, skipScale, clients,
                importEvents != null ? importEvents : Math.max(1, Math.min(200_000, events / 5)), statusRequests);
        Path dir = workDir != null ? Files.createDirectories(workDir).resolve("bench-" + stamp)
                : Files.createTempDirectory("lethe-bench-");
        Files.createDirectories(dir);
        StoreConfig base = store.toConfig();
        BenchStores stores = new BenchStores(base, dir, stamp.replace("-", "_"));
        BenchReport report;
        long start = System.nanoTime();
        try {
            report = new BenchRun(settings, stores, dir, line -> {
                err.printf("[bench %5.0fs] %s%n", (System.nanoTime() - start) / 1e9, line);
                err.flush();
            }).run();
        } finally {
            if (!keep) {
                stores.dropAll();
            }
        }
        describeMachine(report, base, (System.nanoTime() - start) / 1e9);
        String markdown = report.markdown();
        spec.commandLine().getOut().print(markdown);
        spec.commandLine().getOut().flush();
        Path target = out != null ? out : Path.of("bench-results", "bench-" + stamp + ".md");
        if (target.toAbsolutePath().getParent() != null) {
            Files.createDirectories(target.toAbsolutePath().getParent());
        }
        Files.writeString(target, markdown);
        err.println("report written to " + target);
        return 0;
    }

    private void describeMachine(BenchReport report, StoreConfig base, double seconds) {
        Runtime rt = Runtime.getRuntime();
        long memory = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        // why: the report gets shared; a database password must not travel with it.
        String command = String.join(" ", spec.commandLine().getParseResult().originalArgs())
                .replaceAll("(--db-password[ =])\\S+", "$1***");
        report.fact("command: `lethe " + command + "`");
        report.fact("machine: " + rt.availableProcessors() + " cores, " + BenchReport.num(memory / (1024.0 * 1024 * 1024))
                + " GiB memory, " + System.getProperty("os.name") + " " + System.getProperty("os.version")
                + ", load average " + String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        report.fact("JVM: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version")
                + ", max heap " + BenchReport.num(rt.maxMemory() / (1024.0 * 1024)) + " MB");
        report.fact("store: " + base.kind().name().toLowerCase() + ", total run " + BenchReport.num(Math.round(seconds)) + " s");
    }
}
