package dev.lethe.retrieval;

import dev.lethe.store.GroupCommit;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Makes renames into a directory durable, sharing one directory fsync among the archives that
 * are published into the same directory at the same time. A caller returns only once an fsync
 * of the directory that <em>started after its rename</em> has finished.
 */
final class DirectorySyncs {

    private final ConcurrentMap<Path, GroupCommit> groups = new ConcurrentHashMap<>();

    /** Call after renaming into {@code dir}; returns once the rename is on disk. */
    void syncAfterRename(Path dir) throws IOException {
        groups.computeIfAbsent(dir.toAbsolutePath().normalize(), d -> new GroupCommit()).flushAfter(start -> {
            long covers = start.now();
            try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
                channel.force(true);
            }
            return covers;
        });
    }
}
