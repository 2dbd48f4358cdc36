package dev.lethe.bench;

import dev.lethe.app.LetheApp;
import dev.lethe.bench.BenchReport.Goal;
import dev.lethe.bench.BenchReport.Row;
import dev.lethe.store.Database;
import dev.lethe.store.StoreConfig;
import dev.lethe.store.StoreKind;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * One benchmark run, figure by figure (see docs/benchmarks.md): load a fresh store, copy it
 * for the SQL baseline, then delete and retrieve through the API, then the same in SQL, then
 * the same deletion on a store {@code scale} times bigger.
 */
final class BenchRun {

    /** The end of the dataset's two years: fixed, so the same seed gives the same bytes. */
    static final long END_MS = 1_793_000_000_000L;
    static final double MB = 1024.0 * 1024;
    /** Whole-store exports in figure (h): the first, then the runs whose median is the figure. */
    private static final int EXPORT_RUNS = 6;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final BenchSettings s;
    private final BenchStores stores;
    private final Path workDir;
    private final Consumer<String> log;
    private final BenchReport report = new BenchReport();
    private final BenchDataset main;
    /** Requests the benchmark's clients retried after a 503 or 429, over the whole run. */
    private final LongAdder retries = new LongAdder();
    /** What (b) cost the server's threads a deletion, for the comparison with the baseline's; NaN if not measured. */
    private double serverCpuPerDeletionMs = Double.NaN;
    /** What (b) cost PostgreSQL's processes a deletion, when the server runs on this machine; NaN if not measured. */
    private double postgresCpuPerDeletionMs = Double.NaN;

    BenchRun(BenchSettings settings, BenchStores stores, Path workDir, Consumer<String> log) {
        this.s = settings;
        this.stores = stores;
        this.workDir = workDir;
        this.log = log;
        this.main = new BenchDataset(settings.events(), settings.people(), settings.seed(), END_MS);
    }

    BenchReport run() {
        // why: the sample is a prefix of one shuffle, so the warm-up people after the targets leave the targets unchanged
        int warmUp = Math.max(0, Math.min(s.targets(), s.people() - 2 * s.targets()));
        List<Integer> sample = main.samplePeople(2 * s.targets() + warmUp, s.seed() + 7);
        List<Integer> deleted = sample.subList(0, s.targets());
        List<Integer> retrieved = sample.subList(s.targets(), 2 * s.targets());
        List<Integer> warm = sample.subList(2 * s.targets(), sample.size());
        Path file = workDir.resolve("events.jsonl");
        log.accept("generating " + s.events() + " events");
        IngestRunner.writeLines(file, sink -> {
            main.forEachLinkEvent(sink);
            main.forEachEvent(sink);
        });
        StoreConfig store = stores.create("main");
        BenchInstance.Project project;
        try (BenchInstance in = BenchInstance.start(store, s.clients())) {
            project = in.createProject("bench");
            log.accept("bulk load");
            IngestRunner.Outcome bulk = IngestRunner.load(in.app.eventIngester(), project.id(), file);
            BenchProfiles.store(in.app, project.id(), main);
            report.add(new Row("(a) ingestion, bulk path (`lethe load`, " + IngestRunner.LOAD_BATCH + " a transaction)",
                    bulk.perSecond(), "events/s", Double.NaN,
                    stores.kind() == StoreKind.SQLITE ? Goal.AT_LEAST_VALUE : Goal.NONE, 100_000));
            report.info("bulk path, events per CPU-second of this process", bulk.perCpuSecond(), "events/CPU-s");
            report.info("events stored in the 1x store (bulk path)", bulk.events(), "events");
            log.accept("/import");
            BenchInstance.Project imports = in.createProject("bench-import");
            BenchDataset other = new BenchDataset(s.importEvents(), Math.max(1, s.people() / 10), s.seed() + 1, END_MS, "imp-");
            List<byte[]> bodies = IngestRunner.importBodies(other::forEachEvent);
            IngestRunner.Outcome imported = IngestRunner.importAll(in.http(imports, retries), imports.apiSecret(), bodies, s.clients());
            report.add(new Row("(a) ingestion, `/import` (gzip, batches of " + IngestRunner.IMPORT_BATCH + ", "
                    + s.clients() + " clients, another project)", imported.perSecond(), "events/s", Double.NaN, Goal.NONE, 0));
            report.info("/import, events per CPU-second of this process (server and clients)", imported.perCpuSecond(),
                    "events/CPU-s");
            report.info("events imported through /import", imported.events(), "events");
            log.accept("/import strict=1, all valid and 5% invalid");
            IngestRunner.Outcome strictValid = strictImport(in, other, 0);
            IngestRunner.Outcome strictMixed = strictImport(in, other, 20);
            report.add(new Row("(a) ingestion, `/import?strict=1`, all records valid (records sent/s)",
                    s.importEvents() / strictValid.seconds(), "records/s", Double.NaN, Goal.NONE, 0));
            report.add(new Row("(a) ingestion, `/import?strict=1`, 5% invalid records, valid ones stored (records sent/s)",
                    s.importEvents() / strictMixed.seconds(), "records/s", Double.NaN, Goal.NONE, 0));
            report.info("/import strict=1 with 5% invalid, throughput relative to all valid (records sent/s)",
                    strictValid.seconds() / strictMixed.seconds(), "x");
            // why: on a shared machine wall time swings with the neighbours; CPU time says what the per-record path costs.
            report.info("/import strict=1 all valid, records sent per CPU-second (server and clients)",
                    s.importEvents() / strictValid.cpuSeconds(), "records/CPU-s");
            report.info("/import strict=1 5% invalid, records sent per CPU-second (server and clients)",
                    s.importEvents() / strictMixed.cpuSeconds(), "records/CPU-s");
            report.info("/import strict=1 with 5% invalid, CPU cost per record relative to all valid",
                    strictMixed.cpuSeconds() / strictValid.cpuSeconds(), "x");
            report.info("events stored through /import strict=1 with 5% invalid", strictMixed.events(), "events");
        }
        readFigures(store, project);
        log.accept("copying the store for the SQL baseline");
        StoreConfig copy = stores.copy(store, "copy");
        double deletionSeconds = gdprFigures(store, project, deleted, retrieved, warm);
        sqlBaseline(copy, project.id(), deleted, retrieved);
        if (!s.skipScale() && s.scale() > 1) {
            new ScaleRun(s, stores, main, file, log, report, retries).run(deleted, deletionSeconds, serverCpuPerDeletionMs);
        }
        report.info("requests retried (503/429)", retries.sum(), "requests");
        return report;
    }

    /** Figures (h) and (i): the whole project exported as NDJSON, and every profile paged through engage. */
    private void readFigures(StoreConfig store, BenchInstance.Project project) {
        try (BenchInstance in = BenchInstance.start(store, s.clients())) {
            ReadRunner reads = new ReadRunner("http://127.0.0.1:" + in.app.port(), project.apiSecret());
            log.accept("export of the whole store");
            String from = java.time.Instant.ofEpochMilli(END_MS).atZone(java.time.ZoneOffset.UTC).minusYears(3).toLocalDate().toString();
            String to = java.time.Instant.ofEpochMilli(END_MS).atZone(java.time.ZoneOffset.UTC).plusDays(1).toLocalDate().toString();
            // why: a server exports with compiled code; the first export of a fresh JVM also pays for compiling it (the
            // compiler threads took ~40% of the cores during it), so the figure is the median of the runs after it
            ReadRunner.Outcome first = reads.export(from, to);
            report.info("(h) first export after the server started (JIT compiling meanwhile)", first.perSecond(), "events/s");
            List<ReadRunner.Outcome> runs = new ArrayList<>();
            HeapProbe.Peak peak = null;
            for (int run = 1; run < EXPORT_RUNS; run++) {
                ReadRunner.Outcome[] one = new ReadRunner.Outcome[1];
                HeapProbe.Peak p = HeapProbe.during(() -> one[0] = reads.export(from, to));
                peak = peak == null || p.peakLive() > peak.peakLive() ? p : peak;
                runs.add(one[0]);
            }
            runs.sort(Comparator.comparingDouble(ReadRunner.Outcome::perSecond));
            ReadRunner.Outcome median = runs.get(runs.size() / 2);
            report.add(new Row("(h) export of the whole store as NDJSON (`/api/2.0/export`), median of runs 2-" + EXPORT_RUNS,
                    median.perSecond(), "events/s", Double.NaN,
                    stores.kind() == StoreKind.SQLITE ? Goal.AT_LEAST_VALUE : Goal.NONE, 150_000));
            report.info("(h) export runs 2-" + EXPORT_RUNS + ", slowest", runs.get(0).perSecond(), "events/s");
            report.info("(h) export runs 2-" + EXPORT_RUNS + ", fastest", runs.get(runs.size() - 1).perSecond(), "events/s");
            report.add(new Row("(h) peak heap live after a collection during an export, " + peak.collections() + " collections",
                    peak.peakLive() / MB, "MB", Double.NaN, stores.kind() == StoreKind.SQLITE ? Goal.AT_MOST_VALUE : Goal.NONE, 64));
            report.info("events exported", median.items(), "events");
            report.info("events of the project in the store (SQL count)", in.app.db().withConnection(tx -> {
                try (var ps = tx.prepareStatement("SELECT count(*) FROM events WHERE project_id = ?")) {
                    ps.setLong(1, project.id());
                    try (var rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getLong(1);
                    }
                }
            }), "events");
            report.info("export, events per CPU-second of this process (server and client)",
                    median.items() / median.cpuSeconds(), "events/CPU-s");
            log.accept("engage paging");
            ReadRunner.Outcome engage = reads.engagePages(1000);
            report.add(new Row("(i) engage paging, page size 1000 (`/api/2.0/engage`, session_id)", engage.perSecond(), "pages/s",
                    Double.NaN, Goal.NONE, 0));
            report.info("engage pages read", engage.items(), "pages");
        }
    }

    /** One more project, the same events, every {@code invalidEvery}-th without {@code $insert_id} (0: none). */
    private IngestRunner.Outcome strictImport(BenchInstance in, BenchDataset events, int invalidEvery) {
        BenchInstance.Project project = in.createProject("bench-import-strict-" + invalidEvery);
        List<byte[]> bodies = IngestRunner.importBodies(events::forEachEvent, invalidEvery);
        return IngestRunner.importAll(in.http(project, retries), project.apiSecret(), bodies, s.clients(), true);
    }

    /** @param warm people retrieved and deleted first, unmeasured but for one figure: none of the targets */
    private double gdprFigures(StoreConfig store, BenchInstance.Project project, List<Integer> deleted, List<Integer> retrieved,
                               List<Integer> warm) {
        try (BenchInstance in = BenchInstance.start(store, s.clients())) {
            in.settle();
            GdprRunner runner = new GdprRunner(in.http(project, retries), s.clients());
            heaviest(in.app, runner, project.id(), main, 0);
            if (!warm.isEmpty()) {
                // why: a server deletes with compiled code; the first deletions of a fresh JVM also pay for compiling
                // it (the compiler threads took ~45% of the cores during them), so other people go first
                log.accept("warming up: retrieving and deleting " + warm.size() + " other people");
                runner.run(BenchHttp.RETRIEVALS, ids(warm));
                double warmJit = compilingSeconds();
                GdprRunner.Outcome first = runner.run(BenchHttp.DELETIONS, ids(warm));
                report.info("(b) first " + warm.size() + " deletions after the server started, other people (JIT compiling "
                        + "meanwhile)", first.seconds(), "s");
                report.info("(b) JIT compiler threads' time during those first deletions", compilingSeconds() - warmJit, "s");
                // why: the warm-up takes the task table from empty to thousands of rows within a minute, before
                // autovacuum's first ANALYZE of it; until one, PostgreSQL keeps each connection's generic plans made
                // while it was nearly empty, sequential scans of it (a status check read ~130 pages, 0.3-2.3 ms). A
                // store in service is past its first minute
                in.settle();
            }
            long before = eventsOf(in.app, project.id(), deleted);
            report.info("(b) size of the store on disk before the deletions", BenchStores.bytesOnDisk(store, in.app.db()) / MB,
                    "MB");
            log.accept("deleting " + deleted.size() + " people");
            double jit = compilingSeconds();
            OptionalDouble pgBefore = postgresSeconds(store);
            ThreadCpu.Sample threadsBefore = ThreadCpu.take();
            WriteProbe.Probed<GdprRunner.Outcome> probed = WriteProbe.during("http://127.0.0.1:" + in.app.port(),
                    project.token(), () -> runner.run(BenchHttp.DELETIONS, ids(deleted)));
            ThreadCpu.Sample threadsAfter = ThreadCpu.take();
            OptionalDouble pgAfter = postgresSeconds(store);
            double cpu = threadsAfter.processSeconds() - threadsBefore.processSeconds();
            jit = compilingSeconds() - jit;
            GdprRunner.Outcome del = probed.result();
            WriteProbe.Stalls stalls = probed.stalls();
            report.add(new Row("(b) deletion of " + deleted.size() + " people, end to end", del.seconds(), "s",
                    Double.NaN, Goal.AT_MOST_RATIO, 1.5));
            report.add(new Row("(b) longest `/track` answer during the deletions (one client, a new id every "
                    + WriteProbe.PAUSE_MS + " ms)", stalls.maxMs(), "ms", Double.NaN, Goal.AT_MOST_VALUE, 1000));
            // why: whether the deletions waited for the cores (server, clients and compiler together) or for each other
            report.info("(b) CPU time of this process during the deletions, a deletion (server, clients, JIT)",
                    cpu * 1000 / deleted.size(), "ms");
            report.info("(b) cores busy during the deletions, on average", cpu / del.seconds(), "cores");
            // why: the warm-up does not finish the compiling: after 2,000 or 4,000 warm-up deletions, or with the
            // thresholds at a tenth, the compiler threads still took ~7 s during (b), cores the deletions wait for
            report.info("(b) JIT compiler threads' time during the deletions", jit, "s");
            if (threadsBefore.available()) {
                Map<ThreadCpu.Role, Double> each = ThreadCpu.msEach(threadsBefore, threadsAfter, deleted.size());
                serverCpuPerDeletionMs = each.get(ThreadCpu.Role.SERVER);
                report.info("(b) CPU a deletion: the server's threads", serverCpuPerDeletionMs, "ms");
                report.info("(b) CPU a deletion: the bench's clients (and the `/track` probe)",
                        each.get(ThreadCpu.Role.CLIENTS), "ms");
                report.info("(b) CPU a deletion: the JIT compiler's threads", each.get(ThreadCpu.Role.JIT), "ms");
                report.info("(b) CPU a deletion: the collector's and the VM's threads",
                        each.get(ThreadCpu.Role.JVM), "ms");
            }
            if (pgBefore.isPresent() && pgAfter.isPresent()) {
                postgresCpuPerDeletionMs = (pgAfter.getAsDouble() - pgBefore.getAsDouble()) * 1000 / deleted.size();
                // why: with the `/track` probe's inserts and autovacuum, which the deletions' dead rows call for
                report.info("(b) CPU a deletion: PostgreSQL's processes", postgresCpuPerDeletionMs, "ms");
            }
            report.info("`/track` answers during the deletions, 99th percentile", stalls.p99Ms(), "ms");
            report.info("`/track` requests during the deletions", stalls.requests(), "requests");
            if (stalls.failures() > 0) {
                report.info("`/track` requests during the deletions not answered 1", stalls.failures(), "requests");
            }
            report.info("events of the deleted people before the deletion", before, "events");
            report.info("events of the deleted people left after SUCCESS", eventsOf(in.app, project.id(), deleted), "events");
            report.info("deletion tasks SUCCESS", del.trackingIds().size(), "tasks");
            log.accept("retrieving " + retrieved.size() + " people");
            GdprRunner.Outcome ret = runner.run(BenchHttp.RETRIEVALS, ids(retrieved));
            report.add(new Row("(c) retrieval of " + retrieved.size() + " people, end to end, archives downloaded",
                    ret.seconds(), "s", Double.NaN, Goal.AT_MOST_RATIO, 1.5));
            report.info("retrieval tasks SUCCESS", ret.trackingIds().size(), "tasks");
            report.info("archive bytes downloaded", ret.bytes(), "bytes");
            log.accept("status GETs");
            GdprRunner.Throughput status = runner.statusThroughput(BenchHttp.DELETIONS, del.trackingIds(), s.statusRequests());
            report.add(new Row("(d) status GETs (" + s.statusRequests() + " requests, " + s.clients() + " clients)",
                    status.perSecond(), "requests/s", Double.NaN, Goal.AT_LEAST_VALUE, 5000));
            report.info("status GETs per CPU-second of this process (server and clients)", status.perCpuSecond(),
                    "requests/CPU-s");
            return del.seconds();
        }
    }

    /** PostgreSQL's CPU seconds so far, when the store is on a PostgreSQL server of this machine. */
    private static OptionalDouble postgresSeconds(StoreConfig store) {
        return store.kind() == StoreKind.POSTGRES && PostgresCpu.local(store.jdbcUrl()) ? PostgresCpu.seconds()
                : OptionalDouble.empty();
    }

    /** Time the JIT compiler threads of this JVM have spent so far. */
    private static double compilingSeconds() {
        return ManagementFactory.getCompilationMXBean().getTotalCompilationTime() / 1e3;
    }

    private void sqlBaseline(StoreConfig copy, long projectId, List<Integer> deleted, List<Integer> retrieved) {
        log.accept("SQL baseline");
        try (Database db = Database.open(copy)) {
            SqlBaseline sql = new SqlBaseline(db, projectId);
            OptionalDouble pgStart = postgresSeconds(copy);
            long start = System.nanoTime();
            long cpuStart = THREADS.getCurrentThreadCpuTime();
            for (int p : deleted) {
                sql.delete(main.ids(p));
            }
            double delSeconds = (System.nanoTime() - start) / 1e9;
            double delCpuMs = (THREADS.getCurrentThreadCpuTime() - cpuStart) / 1e6 / deleted.size();
            OptionalDouble pgEnd = postgresSeconds(copy);
            start = System.nanoTime();
            long bytes = 0;
            for (int p : retrieved) {
                bytes += sql.retrieve(main.ids(p));
            }
            double retSeconds = (System.nanoTime() - start) / 1e9;
            withBaseline("(b) deletion", delSeconds);
            // why: the thread runs SQLite's work too; PostgreSQL's happens in a backend this process cannot see
            report.info("(e) CPU a deletion: the SQL baseline's thread" + (stores.kind() == StoreKind.SQLITE ? ""
                    : " (the PostgreSQL backend's not counted)"), delCpuMs, "ms");
            if (stores.kind() == StoreKind.SQLITE && !Double.isNaN(serverCpuPerDeletionMs)) {
                // why: CPU time, unlike wall time, is not stretched by waiting for the cores: not by the machine's other
                // tenants, nor by the JIT compiler and the bench's clients, which share the two cores with the server
                report.info("(b) the server threads' CPU a deletion against the SQL baseline's", serverCpuPerDeletionMs / delCpuMs, "x");
            }
            if (pgStart.isPresent() && pgEnd.isPresent()) {
                double pgMs = (pgEnd.getAsDouble() - pgStart.getAsDouble()) * 1000 / deleted.size();
                report.info("(e) CPU a deletion: PostgreSQL's processes during the SQL baseline", pgMs, "ms");
                if (!Double.isNaN(serverCpuPerDeletionMs) && !Double.isNaN(postgresCpuPerDeletionMs)) {
                    // why: PostgreSQL's share of a deletion is most of it, and the baseline's thread sees none of it
                    report.info("(b) the server threads' and PostgreSQL's CPU a deletion against the SQL baseline's",
                            (serverCpuPerDeletionMs + postgresCpuPerDeletionMs) / (delCpuMs + pgMs), "x");
                }
            }
            withBaseline("(c) retrieval", retSeconds);
            report.add(new Row("(e) SQL baseline: deletion of the same people, ids known", delSeconds, "s", Double.NaN, Goal.NONE, 0));
            report.add(new Row("(e) SQL baseline: retrieval of the same people, ids known", retSeconds, "s", Double.NaN, Goal.NONE, 0));
            report.info("bytes read by the SQL baseline retrieval", bytes, "bytes");
        }
    }

    private void withBaseline(String prefix, double baseline) {
        List<Row> rows = new ArrayList<>(report.rows());
        for (Row r : rows) {
            if (r.figure().startsWith(prefix)) {
                report.replace(r, new Row(r.figure(), r.value(), r.unit(), baseline, r.goal(), r.target()));
            }
        }
    }

    /** Figure (g) on one person: the peak heap of this process while the person is exported through the API. */
    static void heapFigure(LetheApp app, GdprRunner runner, long projectId, List<String> ids, BenchReport report) {
        long events = app.events().count(projectId, ids);
        HeapProbe.Peak peak = HeapProbe.during(() -> runner.run(BenchHttp.RETRIEVALS, List.of(ids.get(0))));
        String person = "`" + ids.get(0) + "` (" + BenchReport.num(events) + " events)";
        report.add(new Row("(g) peak heap live after a collection, exporting " + person + ", "
                + peak.collections() + " collections", peak.peakLive() / MB, "MB",
                Double.NaN, events >= 1_000_000 ? Goal.AT_MOST_VALUE : Goal.NONE, 256));
        report.add(new Row("(g) peak heap used, garbage included, exporting " + person, peak.peakUsed() / MB, "MB",
                Double.NaN, Goal.NONE, 0));
    }

    private void heaviest(LetheApp app, GdprRunner runner, long projectId, BenchDataset data, int person) {
        log.accept("exporting the heaviest person");
        heapFigure(app, runner, projectId, data.ids(person), report);
    }

    private List<String> ids(List<Integer> people) {
        return people.stream().map(main::personId).toList();
    }

    private long eventsOf(LetheApp app, long projectId, List<Integer> people) {
        long total = 0;
        for (int p : people) {
            total += app.events().count(projectId, main.ids(p));
        }
        return total;
    }
}
