package dev.lethe.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files that hold personal data (the SQLite store and its WAL and shared-memory files, the
 * retrieval archives) are readable by the instance's user only, and so are the folders Lethe
 * creates for them: 0600 and 0700, set explicitly at creation so the process umask does not decide.
 */
public final class PrivateFiles {

    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");

    private PrivateFiles() {
    }

    /** Creates the folder and any missing parents with mode 0700; an existing folder is left as the operator set it. */
    public static void createFolders(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null) {
            createFolders(parent);
        }
        try {
            Files.createDirectory(dir, attribute(FOLDER));
        } catch (java.nio.file.FileAlreadyExistsException raced) {
            // why: two workers (or instances) may create the same folder at the same moment.
            if (!Files.isDirectory(dir)) {
                throw raced;
            }
            return;
        }
        // why: the umask may have removed bits from the mode asked for at creation; never added any.
        restrict(dir, FOLDER);
    }

    /** Creates an empty file with mode 0600, or gives an existing one that mode. */
    public static void createFile(Path file) throws IOException {
        try {
            Files.createFile(file, attribute(FILE));
        } catch (java.nio.file.FileAlreadyExistsException exists) {
            // why: a file written by an older version, or a leftover partial, keeps no wider mode.
        }
        restrict(file, FILE);
    }

    /** Gives these files mode 0600 where they exist (SQLite's WAL and shared-memory files). */
    public static void restrictExisting(Path... files) throws IOException {
        for (Path f : files) {
            if (Files.exists(f)) {
                restrict(f, FILE);
            }
        }
    }

    private static void restrict(Path p, Set<PosixFilePermission> mode) throws IOException {
        if (supportsPosix(p)) {
            Files.setPosixFilePermissions(p, mode);
        }
    }

    private static FileAttribute<?>[] attribute(Set<PosixFilePermission> mode) {
        return supportsPosix(Path.of(".")) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(mode)}
                : new FileAttribute<?>[0];
    }

    private static boolean supportsPosix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
