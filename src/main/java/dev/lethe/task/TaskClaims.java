package dev.lethe.task;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.json.Json;
import dev.lethe.store.Database;
import dev.lethe.store.Tx;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * The worker's side of the {@code tasks} table. Every write is a versioned update: it names
 * the version the worker last saw and bumps it, so a worker that lost its lease (or a task
 * cancelled under it) finds 0 rows and stops instead of overwriting the new state.
 */
public final class TaskClaims {

    /** How many candidates one claim attempt looks at before giving up to the next poll. */
    private static final int CANDIDATES = 8;
    /** Reads of a fresh group {@link #claimAndStart} makes when other workers keep claiming what it read. */
    private static final int CLAIM_ATTEMPTS = 3;
    /** Appended to a versioned update: the row as it is after the update, read in the same statement. */
    private static final String RETURNING = " RETURNING " + TaskRows.COLUMNS;
    /** Unfinished tasks nobody holds a live lease on; its one parameter is now. */
    private static final String CLAIMABLE = StatusSql.ACTIVE + " AND (lease_until IS NULL OR lease_until <= ?)";
    /** The oldest claimable tasks (binding the time, then how many); see {@link #candidatesSql}. */
    private static final String CANDIDATES_SQL = "SELECT " + TaskRows.COLUMNS + " FROM tasks WHERE " + CLAIMABLE
            + " ORDER BY id LIMIT ?";
    /** The move to STARTED, guarded by the states the transition table lets move there (STAGING). */
    static final String START = "UPDATE tasks SET person_ids = ?, " + StatusSql.set(TaskStatus.STARTED) + ", started_at = ?, "
            + "lease_until = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ? AND "
            + StatusSql.movableTo(TaskStatus.STARTED);
    static final String SUCCEED = succeed("");
    /** The move to SUCCESS, setting {@code more} (assignments ending in ", ") after the counts and result. */
    private static String succeed(String more) {
        return "UPDATE tasks SET " + StatusSql.set(TaskStatus.SUCCESS) + ", counts = ?, result_path = ?, "
                + "result_expires_at = ?, finished_at = ?, updated_at = ?, owner = NULL, lease_until = NULL, " + more
                + "version = version + 1 WHERE id = ? AND version = ? AND " + StatusSql.movableTo(TaskStatus.SUCCESS);
    }

    /** A claim: the task moves to STAGING (or stays where a resumed task is) under this worker's lease. */
    private static final String CLAIM = "UPDATE tasks SET status = ?, version = version + 1, owner = ?, lease_until = ?, "
            + "attempts = attempts + 1, updated_at = ? WHERE id = ? AND version = ?";
    /** {@link #claimFresh}: a claim and a {@link #START} in one, guarded by the state the claim moves from. */
    private static final String CLAIM_FRESH = "UPDATE tasks SET " + StatusSql.set(TaskStatus.STARTED) + ", version = version + 2, "
            + "owner = ?, lease_until = ?, attempts = attempts + 1, updated_at = ?, person_ids = ?, started_at = ? "
            + "WHERE id = ? AND version = ? AND " + StatusSql.movableTo(TaskStatus.STAGING);
    /** {@link #SUCCEED} that also ends the task's resolved ids as keyed hashes (see {@link #hashPersonIds}). */
    static final String SUCCEED_HASHING = succeed("person_ids = ?, ids_hashed = ?, ");
    static final String FAIL = "UPDATE tasks SET " + StatusSql.set(TaskStatus.FAILURE) + ", error = ?, finished_at = ?, "
            + "updated_at = ?, owner = NULL, lease_until = NULL, version = version + 1 "
            + "WHERE id = ? AND version = ? AND " + StatusSql.movableTo(TaskStatus.FAILURE);
    /** A heartbeat moves nothing: it keeps a running task's lease. */
    private static final String EXTEND = "UPDATE tasks SET counts = COALESCE(?, counts), lease_until = ?, "
            + "updated_at = ?, version = version + 1 WHERE id = ? AND version = ? AND " + StatusSql.in(EnumSet.of(TaskStatus.STARTED));

    private final Database db;
    /**
     * Seals a task's resolved ids while it runs and hashes them as it finishes; null (tests of the
     * moves alone) stores them in clear and leaves the hashing to {@link TaskIdRetention}'s next pass.
     */
    private final TaskIdHashes hashes;
    private final TaskStateChanges changes;
    /** Fresh tasks a worker of this instance is resolving and claiming ({@link #claimAndStart}). */
    private final Set<Long> reserved = ConcurrentHashMap.newKeySet();

    public TaskClaims(Database db) {
        this(db, null);
    }

    public TaskClaims(Database db, TaskIdHashes hashes) {
        this(db, hashes, TaskStateChanges.NONE);
    }

    /** @param changes told of each move this side makes, in its transaction (the webhook outbox) */
    public TaskClaims(Database db, TaskIdHashes hashes, TaskStateChanges changes) {
        this.db = db;
        this.hashes = hashes;
        this.changes = changes;
    }

    /**
     * Claims the oldest task that is PENDING, or unfinished with an expired lease (its worker
     * died). A PENDING task moves to STAGING; a resumed one keeps its state.
     */
    public Optional<Task> claimNext(String owner, long now, long leaseUntil) {
        // why: an idle poll would otherwise take a turn at the store's write lock (on SQLite the
        // only one) just to find nothing; a plain read first lets it stay out of the writers' way.
        if (!db.withConnection(c -> anyClaimable(c, now))) {
            return Optional.empty();
        }
        return claimOldest(owner, now, leaseUntil);
    }

    /** {@link #claimNext} once a read found something claimable. */
    private Optional<Task> claimOldest(String owner, long now, long leaseUntil) {
        return db.inTransaction(c -> {
            for (Task candidate : candidates(c, now, CANDIDATES)) {
                Optional<Task> claimed = claim(c, candidate, owner, now, leaseUntil);
                if (claimed.isPresent()) {
                    return claimed;
                }
            }
            return Optional.<Task>empty();
        });
    }

    /**
     * Claims and starts fresh tasks in one transaction, each with the person {@code prepare} resolved for it
     * beforehand, outside the transaction: the oldest claimable task and, when it is PENDING, up to {@code together}
     * of its kind, less one, of the next PENDING tasks of its project and kind, oldest first. Each moves from PENDING
     * through STAGING to STARTED by its own compare-and-sets, so a task cancelled or claimed elsewhere since the read
     * is left out. A resumed task (its lease expired), or a fresh one {@code prepare} found nothing for (empty: its
     * person could not be resolved), is claimed alone as by {@link #claimNext} and comes back STAGING or as it was,
     * for the engine to take from there. Empty when nothing was claimable.
     */
    public List<Task> claimAndStart(String owner, long now, long leaseUntil, ToIntFunction<TaskKind> together,
                                    Function<Task, Optional<Set<String>>> prepare) {
        for (int attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
            List<Task> fresh = readCandidates(db, c -> freshGroup(c, now, together));
            if (fresh.isEmpty()) {
                return List.of();
            }
            if (fresh.get(0).status() != TaskStatus.PENDING) {
                return claimOldest(owner, now, leaseUntil).stream().toList();
            }
            try {
                List<Task> ready = new ArrayList<>();
                List<String> persons = new ArrayList<>();
                for (Task task : fresh) {
                    Optional<Set<String>> person = prepare.apply(task);
                    if (person.isPresent()) {
                        ready.add(task);
                        persons.add(stored(person.get()));
                    } else if (ready.isEmpty()) {
                        // why: alone, the classic way, the failure to resolve it is recorded against this task
                        return claimOldest(owner, now, leaseUntil).stream().toList();
                    }
                }
                List<Task> started = db.inTransaction(c -> {
                    List<Task> out = new ArrayList<>();
                    for (int i = 0; i < ready.size(); i++) {
                        claimFresh(c, ready.get(i), owner, now, leaseUntil, persons.get(i)).ifPresent(out::add);
                    }
                    return out;
                });
                if (!started.isEmpty()) {
                    return started;
                }
                // why: every one of them was claimed or cancelled since the read; the next read sees what is left
            } finally {
                release(fresh);
            }
        }
        return List.of();
    }

    /**
     * The tasks {@link #claimAndStart} would claim, read without a lock: empty when nothing is claimable; the oldest
     * claimable task alone when it is a resumed one; else the fresh group, reserved for the calling worker. Tasks
     * another worker of this instance has reserved are passed over, so workers polling together resolve and claim
     * different tasks instead of all but one losing the same ones.
     */
    private List<Task> freshGroup(Tx c, long now, ToIntFunction<TaskKind> together) throws SQLException {
        Task first = null;
        // why: enough candidates to reach past every task the instance's other workers reserved, so a worker does not
        // idle while fresh tasks wait behind a group another worker is resolving
        for (Task candidate : candidates(c, now, CANDIDATES + reserved.size())) {
            if (!reserved.contains(candidate.id())) {
                first = candidate;
                break;
            }
        }
        if (first == null || first.status() != TaskStatus.PENDING) {
            return first == null ? List.of() : List.of(first);
        }
        if (!reserved.add(first.id())) {
            return List.of();
        }
        List<Task> group = new ArrayList<>();
        group.add(first);
        int more = together.applyAsInt(first.kind()) - 1;
        if (more > 0) {
            for (Task next : pendingAfter(c, first, more)) {
                if (reserved.add(next.id())) {
                    group.add(next);
                }
            }
        }
        return group;
    }

    private void release(List<Task> group) {
        for (Task task : group) {
            reserved.remove(task.id());
        }
    }

    /** One candidate's claim: a PENDING task moves to STAGING. Empty when another worker moved it first. */
    private Optional<Task> claim(Tx c, Task candidate, String owner, long now, long leaseUntil) throws SQLException {
        TaskStatus next = candidate.status() == TaskStatus.PENDING ? TaskStatus.STAGING : candidate.status();
        if (next != candidate.status()) {
            TaskStatus.requireMove(candidate.status(), next);
        }
        Optional<Task> claimed;
        try (PreparedStatement ps = c.prepareStatement(CLAIM + RETURNING)) {
            ps.setString(1, next.name());
            ps.setString(2, owner);
            ps.setLong(3, leaseUntil);
            ps.setLong(4, now);
            ps.setLong(5, candidate.id());
            ps.setLong(6, candidate.version());
            claimed = returned(ps, candidate.id());
        }
        if (claimed.isPresent() && next != candidate.status()) {
            changes.moved(c, candidate.projectId(), candidate.id(), next, now);
        }
        return claimed;
    }

    /**
     * A fresh task's claim and start in one update: PENDING through STAGING to STARTED, its resolved person recorded.
     * Both moves are in one transaction, so nobody could see STAGING in between; the version goes up by two and the
     * listener hears of both, as when they were two updates. Empty when another worker or a cancel moved it first.
     */
    private Optional<Task> claimFresh(Tx c, Task fresh, String owner, long now, long leaseUntil, String personIds)
            throws SQLException {
        TaskStatus.requireMove(fresh.status(), TaskStatus.STAGING);
        TaskStatus.requireMove(TaskStatus.STAGING, TaskStatus.STARTED);
        return versioned(c, fresh, List.of(TaskStatus.STAGING, TaskStatus.STARTED), now, CLAIM_FRESH, owner, leaseUntil,
                now, personIds, now);
    }

    /** Up to {@code limit} PENDING tasks of the first one's project and kind that were queued after it. */
    private List<Task> pendingAfter(Tx tx, Task first, int limit) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement("SELECT " + TaskRows.COLUMNS + " FROM tasks WHERE project_id = ? "
                + "AND kind = ? AND " + StatusSql.in(EnumSet.of(TaskStatus.PENDING)) + " AND id > ? ORDER BY id LIMIT ?")) {
            ps.setLong(1, first.projectId());
            ps.setString(2, first.kind().name());
            ps.setLong(3, first.id());
            ps.setInt(4, limit);
            return tasks(ps);
        }
    }

    /**
     * Records the resolved person and moves STAGING to STARTED in one update: the compare-and-set
     * that races {@link TaskStore#cancel}, empty when the task was cancelled or taken over since
     * the claim.
     */
    public Optional<Task> stageAndStart(Task task, Collection<String> personIds, long now, long leaseUntil) {
        TaskStatus.requireMove(task.status(), TaskStatus.STARTED);
        return versioned(task, TaskStatus.STARTED, now, START, stored(personIds), now, leaseUntil, now);
    }

    /** The resolved ids as a task row keeps them: they include linked ids nobody asked for, never stored in clear. */
    private String stored(Collection<String> personIds) {
        return hashes == null ? TaskRows.json(List.copyOf(personIds)) : hashes.sealList(List.copyOf(personIds));
    }

    /** Extends the lease of a STARTED task, recording counts when given; returns the new version or -1 if lost. */
    long extend(long id, long version, ObjectNode counts, long now, long leaseUntil) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(EXTEND)) {
                ps.setString(1, TaskRows.json(counts));
                ps.setLong(2, leaseUntil);
                ps.setLong(3, now);
                ps.setLong(4, id);
                ps.setLong(5, version);
                return won(ps.executeUpdate(), id) ? version + 1 : -1L;
            }
        });
    }

    /**
     * STARTED to SUCCESS in the caller's transaction, the resolved ids ({@code personIds}, as the row holds them at
     * {@code version}) hashed in the same update; false when the lease was lost.
     */
    boolean succeed(Tx tx, long id, long version, long projectId, List<String> personIds, ObjectNode counts,
                    String resultPath, Long resultExpiresAt, long now) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement(hashes == null ? SUCCEED : SUCCEED_HASHING)) {
            int i = 1;
            ps.setString(i++, TaskRows.json(counts));
            ps.setString(i++, resultPath);
            ps.setObject(i++, resultExpiresAt, java.sql.Types.BIGINT);
            ps.setLong(i++, now);
            ps.setLong(i++, now);
            if (hashes != null) {
                ps.setString(i++, personIds == null ? null : TaskRows.json(hashes.hashAll(projectId, personIds)));
                ps.setInt(i++, TaskIdRetention.PERSON_HASHED);
            }
            ps.setLong(i++, id);
            ps.setLong(i, version);
            if (!won(ps.executeUpdate(), id)) {
                return false;
            }
        }
        changes.moved(tx, projectId, id, TaskStatus.SUCCESS, now);
        return true;
    }

    /** Records a FAILURE with its error; false when the task is no longer this worker's. */
    public boolean fail(long id, long version, String error, long now) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(FAIL)) {
                ps.setString(1, error);
                ps.setLong(2, now);
                ps.setLong(3, now);
                ps.setLong(4, id);
                ps.setLong(5, version);
                if (!won(ps.executeUpdate(), id)) {
                    return false;
                }
            }
            long projectId = hashPersonIds(c, id);
            changes.moved(c, projectId, id, TaskStatus.FAILURE, now);
            return true;
        });
    }

    /**
     * In the transaction that finishes the task: the resolved ids (linked ids nobody asked for among
     * them) were needed in clear only while the task ran, so they end it as keyed hashes. Returns the task's project.
     */
    private long hashPersonIds(Tx tx, long id) throws SQLException {
        long projectId;
        String personIds;
        try (PreparedStatement ps = tx.prepareStatement("SELECT project_id, person_ids, ids_hashed FROM tasks WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("task " + id + " is gone from under the transaction that finished it");
                }
                projectId = rs.getLong(1);
                personIds = rs.getString(2);
                if (hashes == null || rs.getInt(3) != TaskIdRetention.CLEAR) {
                    return projectId;
                }
            }
        }
        List<String> hashed = new ArrayList<>();
        if (personIds != null) {
            hashes.openList(personIds).forEach(person -> hashed.add(hashes.hash(projectId, person)));
        }
        try (PreparedStatement ps = tx.prepareStatement("UPDATE tasks SET person_ids = ?, ids_hashed = ? WHERE id = ?")) {
            ps.setString(1, personIds == null ? null : TaskRows.json(hashed));
            ps.setInt(2, TaskIdRetention.PERSON_HASHED);
            ps.setLong(3, id);
            ps.executeUpdate();
        }
        return projectId;
    }

    private static boolean anyClaimable(Tx tx, long now) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement("SELECT 1 FROM tasks WHERE " + CLAIMABLE + " LIMIT 1")) {
            ps.setLong(1, now);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * Runs a read of claim candidates ({@link #candidatesSql}) as a claim does: in a transaction on PostgreSQL, rolled
     * back, since the settings {@link Tx#orderedScans} makes last until the transaction ends, and in auto-commit that
     * was the end of their own statement (the candidates were then read through a bitmap or a whole index and sorted).
     */
    public static <T> T readCandidates(Database db, Database.SqlWork<T> read) {
        return db.streaming(read);
    }

    /**
     * The statements that move one task by its id (binding its values, then the id and the version the mover saw),
     * public so a test can check that each finds the task through its id whatever the statistics say.
     */
    public static List<String> movesById() {
        return List.of(CLAIM_FRESH + RETURNING, START + RETURNING, SUCCEED, SUCCEED_HASHING, FAIL, EXTEND,
                CLAIM + RETURNING);
    }

    /**
     * The statement that reads the oldest claimable tasks (binding the time, then how many), its transaction set to walk
     * them in id order ({@link Tx#orderedScans}); public so a test can check the plan a claim gets.
     */
    public static String candidatesSql(Tx tx) throws SQLException {
        tx.orderedScans();
        return CANDIDATES_SQL + tx.skipLocked();
    }

    private List<Task> candidates(Tx tx, long now, int limit) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement(candidatesSql(tx))) {
            ps.setLong(1, now);
            ps.setInt(2, limit);
            return tasks(ps);
        }
    }

    private List<Task> tasks(PreparedStatement ps) throws SQLException {
        List<Task> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(TaskRows.map(rs, hashes));
            }
        }
        return out;
    }

    private Optional<Task> versioned(Task task, TaskStatus to, long now, String sql, Object... leading) {
        return db.inTransaction(c -> versioned(c, task, List.of(to), now, sql, leading));
    }

    /**
     * Runs a versioned update of {@code task} ({@code sql} binding {@code leading}, then the id and the version seen),
     * and tells the listener of {@code moves}, the states it went through, when it won.
     */
    private Optional<Task> versioned(Tx c, Task task, List<TaskStatus> moves, long now, String sql, Object... leading)
            throws SQLException {
        Optional<Task> moved;
        try (PreparedStatement ps = c.prepareStatement(sql + RETURNING)) {
            int i = 1;
            for (Object value : leading) {
                ps.setObject(i++, value);
            }
            ps.setLong(i++, task.id());
            ps.setLong(i, task.version());
            moved = returned(ps, task.id());
        }
        if (moved.isPresent()) {
            changes.moved(c, task.projectId(), task.id(), moves, now);
        }
        return moved;
    }

    /** The row a versioned update returned: empty when someone else moved the task first. */
    private Optional<Task> returned(PreparedStatement ps, long id) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            Task task = TaskRows.map(rs, hashes);
            if (rs.next()) {
                throw new IllegalStateException("versioned update of task " + id + " touched more than one row");
            }
            return Optional.of(task);
        }
    }

    /** The task as stored now. */
    Optional<Task> current(long id) {
        return db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + TaskRows.COLUMNS + " FROM tasks WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(TaskRows.map(rs, hashes)) : Optional.<Task>empty();
                }
            }
        });
    }

    /** 0 rows: someone else moved the task first; 1: ours; more: the WHERE clause is broken. */
    private static boolean won(int rows, long id) {
        if (rows > 1) {
            throw new IllegalStateException("versioned update of task " + id + " touched " + rows + " rows");
        }
        return rows == 1;
    }
}
