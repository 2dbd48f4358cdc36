package dev.lethe.task;

import dev.lethe.metrics.LetheMetrics;
import dev.lethe.store.Database;

import java.time.Clock;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.EnumMap;
import java.util.Map;

/**
 * The task queue as gauges, read from the tasks table once per scrape: unfinished tasks by kind
 * and state, and the age of the oldest PENDING one. One query over the unfinished tasks only
 * (through the status index), so its cost follows the queue, which the per-project cap bounds,
 * not the history of finished tasks.
 */
public final class TaskQueueGauges {

    /** What one scrape read. */
    record Snapshot(Map<TaskKind, Map<TaskStatus, Long>> counts, Long oldestPendingMs) {
    }

    private final Database db;
    private final Clock clock;
    private volatile Snapshot last = new Snapshot(Map.of(), null);

    private TaskQueueGauges(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Registers the gauges and their refresh on {@code metrics}. */
    public static TaskQueueGauges register(Database db, Clock clock, LetheMetrics metrics) {
        TaskQueueGauges g = new TaskQueueGauges(db, clock);
        for (TaskKind kind : TaskKind.values()) {
            for (TaskStatus status : TaskStatus.values()) {
                if (status.isActive()) {
                    metrics.gauge("lethe.tasks.unfinished", "unfinished tasks by kind and state, from the tasks table",
                            () -> g.last.counts().getOrDefault(kind, Map.of()).getOrDefault(status, 0L),
                            "kind", kind.name(), "state", status.name());
                }
            }
        }
        metrics.gauge("lethe.tasks.oldest.pending.age.seconds", "age of the oldest PENDING task (0 when none)",
                () -> g.last.oldestPendingMs() == null ? 0.0 : Math.max(0, clock.millis() - g.last.oldestPendingMs()) / 1000.0);
        metrics.beforeScrape(g::refresh);
        return g;
    }

    void refresh() {
        last = read();
    }

    Snapshot read() {
        return db.withConnection(c -> {
            Map<TaskKind, Map<TaskStatus, Long>> counts = new EnumMap<>(TaskKind.class);
            Long oldest = null;
            try (PreparedStatement ps = c.prepareStatement("SELECT kind, status, COUNT(*), MIN(date_requested) FROM tasks WHERE "
                    + StatusSql.ACTIVE + " GROUP BY kind, status");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    TaskKind kind = TaskKind.valueOf(rs.getString(1));
                    TaskStatus status = TaskStatus.valueOf(rs.getString(2));
                    counts.computeIfAbsent(kind, k -> new EnumMap<>(TaskStatus.class)).put(status, rs.getLong(3));
                    if (status == TaskStatus.PENDING) {
                        long requested = rs.getLong(4);
                        oldest = oldest == null ? requested : Math.min(oldest, requested);
                    }
                }
            }
            return new Snapshot(counts, oldest);
        });
    }
}
