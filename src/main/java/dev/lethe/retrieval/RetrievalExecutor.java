package dev.lethe.retrieval;

import dev.lethe.identity.PersonResolver;
import dev.lethe.project.ProjectStore;
import dev.lethe.store.Database;
import dev.lethe.task.LeaseLostException;
import dev.lethe.task.Task;
import dev.lethe.task.TaskExecutor;
import dev.lethe.task.TaskKind;
import dev.lethe.task.TaskRun;

import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The STARTED phase of a retrieval: streams the person's data into a ZIP archive in the data
 * directory, then records which ids it holds and marks the task SUCCESS in one transaction.
 * Repeating it rewrites the same archive.
 */
public final class RetrievalExecutor implements TaskExecutor {

    private final Database db;
    private final ExportReader reader;
    private final ProjectStore projects;
    private final ArchiveStore archives;
    private final ArchiveFiles files;
    private final PersonResolver resolver;
    private final ArchiveProtection protection;
    private final ArchivePasswords passwords;
    private final Duration archiveTtl;
    private final Clock clock;

    /**
     * @param protection how archives are encrypted, and with which password, for projects without settings of their own
     * @param archiveTtl      how long an archive stays downloadable
     */
    public RetrievalExecutor(Database db, PersonResolver resolver, ExportReader reader, ProjectStore projects, ArchiveStore archives,
                             ArchiveFiles files, ArchiveProtection protection, ArchivePasswords passwords,
                             Duration archiveTtl, Clock clock) {
        this.db = db;
        this.reader = reader;
        this.projects = projects;
        this.archives = archives;
        this.files = files;
        this.resolver = resolver;
        this.protection = protection;
        this.passwords = passwords;
        this.archiveTtl = archiveTtl;
        this.clock = clock;
    }

    @Override
    public TaskKind kind() {
        return TaskKind.RETRIEVAL;
    }

    /** The requested ids and every id linked to them. */
    @Override
    public Set<String> prepare(Task task) {
        return resolver.resolve(task.projectId(), task.distinctIds());
    }

    @Override
    public void run(Task task, TaskRun run) throws Exception {
        long now = clock.millis();
        long projectId = task.projectId();
        Set<String> subjects = new TreeSet<>(task.distinctIds());
        if (task.personIds() != null) {
            subjects.addAll(task.personIds());
        }
        List<String> ids = List.copyOf(subjects);
        Map<String, String> howLinked = howLinked(projectId, task.distinctIds(), ids);
        DisclosureView view = DisclosureView.of(task.complianceType(), task.disclosureType());
        Export x = new Export(task, ids, howLinked, windowStart(task, now), view, reader.people(projectId, ids), run);
        String resultPath = files.relativePath(projectId, task.trackingId());
        ArchiveProtection p = ArchiveProtection.of(projects.archiveSettings(projectId), protection);
        boolean encrypted = p.encryption() != ArchiveEncryption.NONE;
        String ownPassword = encrypted && p.password() == ArchivePassword.PER_ARCHIVE ? ArchivePasswords.generate() : null;
        char[] password = !encrypted ? null
                : ownPassword != null ? ownPassword.toCharArray() : projects.apiSecret(projectId).toCharArray();
        try (ArchiveWriter w = ArchiveWriter.open(files.resolve(resultPath), p.encryption(), password, now)) {
            switch (view) {
                case DATA -> DataView.write(w, x, reader);
                case CATEGORIES -> CategoriesView.write(w, x, reader);
                case SOURCES -> SourcesView.write(w, x, reader);
            }
            try (OutputStream out = w.entry("manifest.json")) {
                out.write(Manifest.json(x, w.entries(), now, p.encryption()));
            }
            w.publish();
        }
        long expiresAt = now + archiveTtl.toMillis();
        try {
            db.inTransaction(tx -> {
                tx.lockProjectErasure(projectId);
                // why: a deletion that finished after this run began reading may have removed
                // rows this archive holds, and its sweep could not see an archive not yet recorded.
                if (archives.deletedSince(tx, projectId, ids, now)) {
                    throw new IllegalStateException("a deletion of this person finished while the archive was written");
                }
                archives.recordSubjects(tx, task.id(), projectId, ids);
                if (ownPassword != null) {
                    passwords.save(tx, task.id(), ownPassword);
                }
                run.succeed(tx, x.counts(), resultPath, expiresAt);
                return null;
            });
        } catch (LeaseLostException e) {
            // why: the worker now holding the task writes this same file; deleting it could remove theirs.
            throw e;
        } catch (RuntimeException e) {
            // why: an archive no task row points at would be a copy of personal data nobody can purge.
            files.delete(resultPath);
            throw e;
        }
    }

    /** CCPA covers the last 12 months (by the calendar, in UTC); GDPR everything. */
    private static Long windowStart(Task task, long now) {
        if (!"CCPA".equalsIgnoreCase(task.complianceType())) {
            return null;
        }
        return ZonedDateTime.ofInstant(java.time.Instant.ofEpochMilli(now), ZoneOffset.UTC).minusMonths(12)
                .toInstant().toEpochMilli();
    }

    /**
     * How the request reached each exported id. An id linked when the task was staged but no
     * longer reachable now (a link detached since) is named as such rather than left out.
     */
    private Map<String, String> howLinked(long projectId, List<String> requested, List<String> ids) {
        Map<String, PersonResolver.Reach> reach = resolver.explain(projectId, requested);
        Map<String, String> out = new TreeMap<>();
        for (String id : ids) {
            PersonResolver.Reach r = reach.get(id);
            out.put(id, r != null ? r.describe() : "linked when the request was staged");
        }
        return out;
    }
}
