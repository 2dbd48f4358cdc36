package dev.lethe.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.json.Json;
import dev.lethe.store.Database;
import dev.lethe.store.Tx;
import dev.lethe.task.LeaseLostException;
import dev.lethe.task.Task;
import dev.lethe.task.TaskRun;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A {@link TaskRun} for driving executors without the engine: progress is recorded (and
 * stored in the task row, as the engine would), and {@link #succeed} performs the real
 * versioned move to SUCCESS on the caller's connection, so transactions behave as in production.
 */
public final class RecordingTaskRun implements TaskRun {

    /** Thrown from {@link #progress} to simulate a worker dying mid-run. */
    public static final class SimulatedCrash extends RuntimeException {
        public SimulatedCrash() {
            super("simulated crash", null, false, false);
        }
    }

    private final Database db;
    private final Task task;
    private final Clock clock;
    private final List<ObjectNode> progress = new ArrayList<>();
    private Consumer<ObjectNode> onProgress = counts -> { };
    private int crashAtProgress = -1;
    private boolean crashAtSuccess;
    private boolean loseLeaseAtHeartbeat;
    private int heartbeats;

    public RecordingTaskRun(Database db, Task task, Clock clock) {
        this.db = db;
        this.task = task;
        this.clock = clock;
    }

    /** Throws {@link SimulatedCrash} from the n-th progress call (1-based). */
    public RecordingTaskRun crashAtProgress(int n) {
        crashAtProgress = n;
        return this;
    }

    /** Throws {@link SimulatedCrash} from {@link #succeed}: the worker dies as it records SUCCESS, which rolls back. */
    public RecordingTaskRun crashAtSuccess() {
        crashAtSuccess = true;
        return this;
    }

    public RecordingTaskRun onProgress(Consumer<ObjectNode> hook) {
        onProgress = hook;
        return this;
    }

    public List<ObjectNode> progress() {
        return progress;
    }

    /** Throws {@link LeaseLostException} from every heartbeat, as when another worker took the task over. */
    public RecordingTaskRun loseLeaseAtHeartbeat() {
        loseLeaseAtHeartbeat = true;
        return this;
    }

    public int heartbeats() {
        return heartbeats;
    }

    @Override
    public void heartbeat() {
        heartbeats++;
        if (loseLeaseAtHeartbeat) {
            throw new LeaseLostException(task.trackingId());
        }
    }

    @Override
    public void progress(ObjectNode counts) {
        progress.add(counts.deepCopy());
        db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE tasks SET counts = ? WHERE id = ?")) {
                ps.setString(1, Json.write(counts));
                ps.setLong(2, task.id());
                return ps.executeUpdate();
            }
        });
        // why: the worker dies right after its report reached the store, so a rerun resumes from it.
        if (progress.size() == crashAtProgress) {
            throw new SimulatedCrash();
        }
        onProgress.accept(counts);
    }

    @Override
    public void succeed(Tx c, ObjectNode counts, String resultPath, Long resultExpiresAt) throws SQLException {
        if (crashAtSuccess) {
            throw new SimulatedCrash();
        }
        long now = clock.millis();
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE tasks SET status = 'SUCCESS', counts = ?, result_path = ?, result_expires_at = ?, finished_at = ?, "
                        + "updated_at = ?, version = version + 1 WHERE id = ? AND version = ? AND status = 'STARTED'")) {
            ps.setString(1, Json.write(counts));
            ps.setString(2, resultPath);
            ps.setObject(3, resultExpiresAt);
            ps.setLong(4, now);
            ps.setLong(5, now);
            ps.setLong(6, task.id());
            ps.setLong(7, task.version());
            if (ps.executeUpdate() != 1) {
                throw new LeaseLostException(task.trackingId());
            }
        }
    }
}
