package dev.lethe.retrieval;

import dev.lethe.store.PrivateFiles;

import dev.lethe.task.TrackingId;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * Where retrieval archives live: {@code <data-dir>/archives/<project_id>/<tracking_id>.zip}.
 * Paths are built only from values the store holds (project id, tracking id), never from a
 * request, and are checked to stay inside the archive directory.
 */
public final class ArchiveFiles {

    private final Path dataDir;
    private final Path root;

    public ArchiveFiles(Path dataDir) {
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.root = this.dataDir.resolve("archives");
    }

    /** The archive's path relative to the data directory, as recorded in {@code tasks.result_path}. */
    public String relativePath(long projectId, String trackingId) {
        if (!TrackingId.isValid(trackingId)) {
            throw new IllegalArgumentException("tracking id is not file-name safe");
        }
        return "archives/" + projectId + "/" + trackingId + ".zip";
    }

    /** The absolute file of a recorded result path. */
    public Path resolve(String resultPath) {
        Path p = dataDir.resolve(resultPath).normalize();
        if (!p.startsWith(root)) {
            throw new IllegalArgumentException("result path outside the archive directory");
        }
        return p;
    }

    /**
     * A new file for one writer of an archive to fill before it publishes it under its final name.
     * Unique per writer: a worker that lost its lease and gives up must not remove (or truncate)
     * the file of the worker that took the task over.
     */
    static Path partial(Path archive) {
        return partials(archive).resolve(archive.getFileName() + "." + UUID.randomUUID().toString().substring(0, 8) + ".partial");
    }

    /**
     * The folder of a project's archives being written, beside its finished ones. Only archives being written, and
     * those a killed writer left, are in it, so finding one archive's partial files reads a few names instead of every
     * archive the project keeps: a deletion and a purge then cost the same whatever the number of archives.
     */
    static Path partials(Path archive) {
        return archive.resolveSibling(PARTIALS);
    }

    static final String PARTIALS = "partial";

    /** Removes the partial files of an archive, such as one a killed worker left behind. */
    static void deletePartials(Path archive) throws IOException {
        Path folder = partials(archive);
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (DirectoryStream<Path> partials = Files.newDirectoryStream(folder, archive.getFileName() + "*.partial")) {
            for (Path p : partials) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * Removes the partial files that versions before this layout left beside the finished archives (a killed writer's
     * copy of personal data), once for the data directory: it reads every project's folder, and a file it leaves
     * behind ({@value #LEGACY_SWEPT}) says the next start need not. Returns how many it removed.
     */
    public int removeLegacyPartials() {
        Path swept = root.resolve(LEGACY_SWEPT);
        if (!Files.isDirectory(root) || Files.exists(swept)) {
            return 0;
        }
        int removed = 0;
        try {
            try (DirectoryStream<Path> projects = Files.newDirectoryStream(root, Files::isDirectory)) {
                for (Path project : projects) {
                    try (DirectoryStream<Path> partials = Files.newDirectoryStream(project, "*.partial")) {
                        for (Path p : partials) {
                            if (Files.isRegularFile(p) && Files.deleteIfExists(p)) {
                                removed++;
                            }
                        }
                    }
                }
            }
            PrivateFiles.createFile(swept);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the partial archives of an earlier version", e);
        }
        return removed;
    }

    /** In the archives' folder once {@link #removeLegacyPartials} has run there. */
    static final String LEGACY_SWEPT = ".legacy-partials-removed";

    /** Removes the archive and any partial copy of it; a missing file is already gone. */
    public void delete(String resultPath) {
        Path archive = resolve(resultPath);
        try {
            deletePartials(archive);
            Files.deleteIfExists(archive);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete an archive", e);
        }
    }
}
