package dev.lethe.task;

import dev.lethe.store.Tx;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;

/** The {@link TaskRun} of one STARTED task held by this worker: it tracks the row's version. */
final class LeasedRun implements TaskRun {

    private final TaskClaims claims;
    private final Clock clock;
    private final Duration lease;
    private final long id;
    private final String trackingId;
    private final long projectId;
    private final java.util.List<String> personIds;
    private volatile long version;
    private volatile boolean succeeded;

    LeasedRun(TaskClaims claims, Clock clock, Duration lease, Task started) {
        this.claims = claims;
        this.clock = clock;
        this.lease = lease;
        this.id = started.id();
        this.trackingId = started.trackingId();
        this.projectId = started.projectId();
        // why: no update but START writes them, so they are what the row holds at any version this run reaches
        this.personIds = started.personIds();
        this.version = started.version();
    }

    @Override
    public void heartbeat() {
        extend(null);
    }

    @Override
    public void progress(ObjectNode counts) {
        extend(counts);
    }

    @Override
    public void succeed(Tx tx, ObjectNode counts, String resultPath, Long resultExpiresAt) throws SQLException {
        if (!claims.succeed(tx, id, version, projectId, personIds, counts, resultPath, resultExpiresAt,
                clock.millis())) {
            throw new LeaseLostException(trackingId);
        }
        // why: the SUCCESS belongs to the caller's transaction; until it commits, a failure
        // afterwards must still be recorded against the version we hold now.
        succeeded = true;
    }

    long version() {
        return version;
    }

    boolean succeeded() {
        return succeeded;
    }

    private synchronized void extend(ObjectNode counts) {
        long now = clock.millis();
        long next = claims.extend(id, version, counts, now, now + lease.toMillis());
        if (next < 0) {
            throw new LeaseLostException(trackingId);
        }
        version = next;
    }
}
