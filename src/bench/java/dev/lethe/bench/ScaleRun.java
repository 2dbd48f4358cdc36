package dev.lethe.bench;

import dev.lethe.bench.BenchReport.Goal;
import dev.lethe.bench.BenchReport.Row;
import dev.lethe.store.StoreConfig;
import dev.lethe.store.StoreKind;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Figure (f), and (g) on a person with as many events as the whole 1x store: the same people
 * deleted from a store {@code scale} times bigger. The big store holds exactly the 1x data plus
 * filler of other people, so the targeted data is the same and only the store grows.
 */
final class ScaleRun {

    static final String HEAVY_ID = "heavy-0";

    private final BenchSettings s;
    private final BenchStores stores;
    private final BenchDataset main;
    private final Path file;
    private final Consumer<String> log;
    private final BenchReport report;
    private final LongAdder retries;

    ScaleRun(BenchSettings s, BenchStores stores, BenchDataset main, Path file, Consumer<String> log, BenchReport report,
             LongAdder retries) {
        this.s = s;
        this.stores = stores;
        this.main = main;
        this.file = file;
        this.log = log;
        this.report = report;
        this.retries = retries;
    }

    /**
     * @param seconds1x     (b)'s deletion of the same people, end to end
     * @param serverCpuMs1x (b)'s CPU a deletion of the server's threads ({@link ThreadCpu}); NaN when not measured
     */
    void run(List<Integer> deleted, double seconds1x, double serverCpuMs1x) {
        StoreConfig store = stores.create("big");
        long fillerEvents = (s.scale() - 1) * s.events() - s.heavyEvents();
        BenchDataset filler = new BenchDataset(fillerEvents, s.people() * (s.scale() - 1), s.seed() + 2, BenchRun.END_MS, "filler-");
        try (BenchInstance in = BenchInstance.start(store, s.clients())) {
            BenchInstance.Project project = in.createProject("bench");
            log.accept("loading the " + s.scale() + "x store");
            long stored = IngestRunner.load(in.app.eventIngester(), project.id(), file).events();
            BenchProfiles.store(in.app, project.id(), main);
            stored += IngestRunner.loadGenerated(in.app.eventIngester(), project.id(), sink -> {
                filler.forEachLinkEvent(sink);
                filler.forEachEvent(sink);
                filler.forEachEventOf(HEAVY_ID, s.heavyEvents(), sink);
            });
            report.info("events stored in the " + s.scale() + "x store", stored, "events");
            in.settle();
            GdprRunner runner = new GdprRunner(in.http(project, retries), s.clients());
            if (s.heavyEvents() > 0) {
                log.accept("exporting " + HEAVY_ID);
                BenchRun.heapFigure(in.app, runner, project.id(), List.of(HEAVY_ID), report);
            }
            report.info("(f) size of the " + s.scale() + "x store on disk before the deletions",
                    BenchStores.bytesOnDisk(store, in.app.db()) / BenchRun.MB, "MB");
            log.accept("deleting the same " + deleted.size() + " people from the " + s.scale() + "x store");
            // why: the write stall erasure may cause grows with the store (a rebuild of the file did), so it is measured
            // on the big store too
            ThreadCpu.Sample threadsBefore = ThreadCpu.take();
            WriteProbe.Probed<GdprRunner.Outcome> del = WriteProbe.during("http://127.0.0.1:" + in.app.port(),
                    project.token(), () -> runner.run(BenchHttp.DELETIONS, deleted.stream().map(main::personId).toList()));
            ThreadCpu.Sample threadsAfter = ThreadCpu.take();
            report.add(new Row("(f) deletion of the same " + deleted.size() + " people, " + s.scale() + "x store",
                    del.result().seconds(), "s", seconds1x, Goal.AT_MOST_RATIO, 1.3));
            report.add(new Row("(f) longest `/track` answer during the deletions, " + s.scale() + "x store (one client, a "
                    + "new id every " + WriteProbe.PAUSE_MS + " ms)", del.stalls().maxMs(), "ms", Double.NaN,
                    Goal.AT_MOST_VALUE, 1000));
            if (threadsBefore.available()) {
                double serverCpuMs = ThreadCpu.msEach(threadsBefore, threadsAfter, deleted.size()).get(ThreadCpu.Role.SERVER);
                cpuFigures(serverCpuMs, serverCpuMs1x);
            }
        }
    }

    /**
     * (f) in CPU: the wall-time ratio moves with the machine's speed between (b) and (f), minutes apart, and with what
     * the compiler is still compiling; the server's threads' CPU a deletion does not.
     */
    private void cpuFigures(double serverCpuMs, double serverCpuMs1x) {
        String uncounted = stores.kind() == StoreKind.SQLITE ? "" : " (the PostgreSQL backends' not counted)";
        report.info("(f) CPU a deletion: the server's threads, " + s.scale() + "x store" + uncounted, serverCpuMs, "ms");
        // why: a tiny run's (b) may fall within one of /proc's 10 ms ticks and count none
        if (serverCpuMs1x > 0) {
            report.info("(f) the server threads' CPU a deletion against (b)'s" + uncounted, serverCpuMs / serverCpuMs1x, "x");
        }
    }
}
