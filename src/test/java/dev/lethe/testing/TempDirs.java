package dev.lethe.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Removes a temporary folder a fixture made for itself and outside JUnit's {@code @TempDir} (a browser profile, the
 * PostgreSQL template's instance key), so a run of the suite leaves neither files nor keys behind in the system's
 * temporary folder.
 */
public final class TempDirs {

    private TempDirs() {
    }

    /** Deletes {@code root} and everything under it; nothing happens if it is already gone. */
    public static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
