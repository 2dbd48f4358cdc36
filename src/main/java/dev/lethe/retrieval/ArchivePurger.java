package dev.lethe.retrieval;

import dev.lethe.store.Database;
import dev.lethe.store.Tx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Clock;
import java.util.Collection;
import java.util.List;

/**
 * Removes archives: those past their expiry (run periodically by the application), and
 * those holding a person being deleted. The file goes first, then the rows: a crash in
 * between leaves rows pointing at a missing file, which reads as gone and is purged again
 * on the next run; the other order could leave a file nobody knows about.
 */
public final class ArchivePurger {

    private static final Logger log = LoggerFactory.getLogger(ArchivePurger.class);

    private final Database db;
    private final ArchiveStore store;
    private final ArchiveFiles files;
    private final Clock clock;

    public ArchivePurger(Database db, ArchiveStore store, ArchiveFiles files, Clock clock) {
        this.db = db;
        this.store = store;
        this.files = files;
        this.clock = clock;
    }

    /** Purges every expired archive; returns how many. */
    public int purgeExpired() {
        long now = clock.millis();
        List<ArchiveStore.Archive> expired = db.withConnection(c -> store.expired(c, now));
        for (ArchiveStore.Archive a : expired) {
            db.inTransaction(c -> {
                purge(c, a, now);
                return null;
            });
        }
        return expired.size();
    }

    /** For the periodic run: a failure is logged and the next run tries again. */
    public void purgeExpiredLogged() {
        try {
            int n = purgeExpired();
            if (n > 0) {
                log.info("purged {} expired archive(s)", n);
            }
        } catch (RuntimeException e) {
            log.warn("purging expired archives failed; the next run retries", e);
        }
    }

    /**
     * Purges, in the caller's transaction, every archive holding any of these ids; returns
     * how many had not been purged before.
     */
    public int purgeHolding(Tx tx, long projectId, Collection<String> ids) throws SQLException {
        long now = clock.millis();
        int purged = 0;
        for (ArchiveStore.Archive a : store.holding(tx, projectId, ids)) {
            if (!a.purged()) {
                purged++;
            }
            purge(tx, a, now);
        }
        return purged;
    }

    /** How many archives still hold any of these ids; zero once a deletion is through. */
    public int countHolding(Tx tx, long projectId, Collection<String> ids) throws SQLException {
        return store.holding(tx, projectId, ids).size();
    }

    private void purge(Tx tx, ArchiveStore.Archive a, long now) throws SQLException {
        if (a.resultPath() != null) {
            files.delete(a.resultPath());
        }
        store.markPurged(tx, a.taskId(), now);
    }
}
