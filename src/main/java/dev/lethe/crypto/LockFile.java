package dev.lethe.crypto;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The lock file beside a key file ({@link KeyRing}, {@link SigningKeys}) that two processes rewriting it at once take
 * in turn. It holds nothing, but it is made with the key files' mode (0600), so the data directory holds no file
 * another user can open.
 */
final class LockFile {

    private LockFile() {
    }

    /** The lock file's channel, to {@link FileChannel#lock()}; made 0600 if absent, given that mode if older. */
    static FileChannel open(Path lockFile) throws IOException {
        FileChannel channel = FileChannel.open(lockFile, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        // why: the umask may have taken bits away at creation, never added any; a file from before this was 0644
        Files.setPosixFilePermissions(lockFile, PosixFilePermissions.fromString("rw-------"));
        return channel;
    }
}
