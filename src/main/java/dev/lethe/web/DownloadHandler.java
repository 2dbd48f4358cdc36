package dev.lethe.web;

import dev.lethe.audit.AuditLog;
import dev.lethe.audit.Origin;
import dev.lethe.retrieval.ArchiveFiles;
import dev.lethe.retrieval.ArchiveStore;
import dev.lethe.retrieval.DownloadLinks;
import dev.lethe.domain.DomainException;
import dev.lethe.store.Database;
import dev.lethe.task.TrackingId;
import io.javalin.http.Context;

import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /downloads/{file}}: serves a retrieval archive to whoever holds its signed link.
 * The file name is only ever matched against a strict pattern and mapped to its task; the
 * path served is the one the task recorded, so no request can name another file.
 */
public final class DownloadHandler {

    private static final Pattern FILE = Pattern.compile("(" + TrackingId.REGEX + ")\\.zip");

    private final Database db;
    private final ArchiveStore archives;
    private final ArchiveFiles files;
    private final DownloadLinks links;
    private final Clock clock;
    private final AuditLog audit;

    public DownloadHandler(Database db, ArchiveStore archives, ArchiveFiles files, DownloadLinks links, Clock clock) {
        this(db, archives, files, links, clock, null);
    }

    /** @param audit records every archive served (who: the holder of a signed link; from where: the IP); null records nothing */
    public DownloadHandler(Database db, ArchiveStore archives, ArchiveFiles files, DownloadLinks links, Clock clock,
                           AuditLog audit) {
        this.audit = audit;
        this.db = db;
        this.archives = archives;
        this.files = files;
        this.links = links;
        this.clock = clock;
    }

    public void serve(Context ctx) throws IOException {
        Matcher m = FILE.matcher(ctx.pathParam("file"));
        if (!m.matches()) {
            throw DomainException.notFound("no such archive");
        }
        long expires = parseExpires(ctx.queryParam("expires"));
        String signature = ctx.queryParam("signature");
        if (signature == null || !links.verify(m.group(), expires, signature)) {
            throw DomainException.forbidden("invalid or missing signature");
        }
        long now = clock.millis();
        if (expires * 1000 <= now) {
            throw DomainException.gone("this download link has expired");
        }
        Optional<ArchiveStore.Archive> archive = db.withConnection(c -> archives.byTrackingId(c, m.group(1)));
        if (archive.isEmpty()) {
            throw DomainException.notFound("no such archive");
        }
        if (!archive.get().liveAt(now)) {
            throw DomainException.gone("this archive has expired or was deleted");
        }
        Path file = files.resolve(archive.get().resultPath());
        FileChannel in;
        try {
            in = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            // why: a deletion or the purger removes the file before it marks the task.
            throw DomainException.gone("this archive has expired or was deleted");
        }
        if (audit != null) {
            audit.recordQuietly(new AuditLog.Event(archive.get().projectId(), "download", "RETRIEVAL", archive.get().trackingId(),
                    "signed link", "link", new Origin("download", ctx.ip()), "archive served", null));
        }
        ctx.contentType("application/zip");
        ctx.header("Content-Disposition", "attachment; filename=\"" + m.group() + "\"");
        ctx.header("Cache-Control", "no-store");
        ctx.header("Content-Length", Long.toString(in.size()));
        ctx.result(Channels.newInputStream(in));
    }

    private static long parseExpires(String value) {
        if (value == null || !value.matches("[0-9]{1,12}")) {
            throw DomainException.forbidden("invalid or missing signature");
        }
        return Long.parseLong(value);
    }
}
