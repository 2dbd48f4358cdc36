package dev.lethe.gdpr;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongUnaryOperator;

/**
 * The per-project cap on unfinished tasks, without a count of them on every creation. A count costs what the
 * project's queue holds (and on PostgreSQL every dead version its tasks' moves left behind since the last VACUUM:
 * 3.4 ms a creation in {@code lethe bench}'s burst of 2,000). So it counts at most once every {@link #FRESH_MS} ms
 * and adds the tasks this instance admitted since: an upper bound of the unfinished tasks, as tasks only leave the
 * count by finishing. It counts again, exactly, whenever that bound reaches the cap, so a refusal always comes from
 * a count taken at that moment, and a task that just finished frees its place at once.
 * <p>
 * With several instances on one store, each admits on its own bound, which misses what the others admitted since
 * its last count: the cap can be passed by what they queue within {@link #FRESH_MS} ms, which their creation rate
 * limits bound. The count itself already raced creations in flight, as it always has.
 */
public final class QueueCap {

    /** How long a count stands in for the queue, with this instance's admissions added to it. */
    static final long FRESH_MS = 1_000;

    private final int cap;
    private final LongUnaryOperator unfinished;
    private final Clock clock;
    private final Map<Long, Bound> bounds = new ConcurrentHashMap<>();

    /**
     * @param cap        the most unfinished tasks a project may have; 0 refuses every creation
     * @param unfinished counts a project's unfinished tasks in the store
     */
    public QueueCap(int cap, LongUnaryOperator unfinished, Clock clock) {
        if (cap < 0) {
            throw new IllegalArgumentException("the queue cap must not be negative, got " + cap);
        }
        this.cap = cap;
        this.unfinished = unfinished;
        this.clock = clock;
    }

    public int cap() {
        return cap;
    }

    /**
     * Whether one more task of the project may be queued; if so, it counts as queued from now on. A caller that then
     * queues nothing (it found the identical task already queued) leaves the bound one too high until the next count,
     * which can only make the next admission count again.
     */
    public boolean admit(long projectId) {
        Bound bound = bounds.computeIfAbsent(projectId, id -> new Bound());
        // why: one count at a time per project, so a burst of creations waits for one count instead of running many
        synchronized (bound) {
            long now = clock.millis();
            if (!bound.counted || now - bound.countedAt >= FRESH_MS || now < bound.countedAt
                    || bound.queued + bound.admitted >= cap) {
                bound.queued = unfinished.applyAsLong(projectId);
                bound.countedAt = now;
                bound.admitted = 0;
                bound.counted = true;
            }
            if (bound.queued + bound.admitted >= cap) {
                return false;
            }
            bound.admitted++;
            return true;
        }
    }

    /** A project's last count and what this instance admitted since; guarded by its own monitor. */
    private static final class Bound {
        boolean counted;
        long countedAt;
        long queued;
        long admitted;
    }
}
