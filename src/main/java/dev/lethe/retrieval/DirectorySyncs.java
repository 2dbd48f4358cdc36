package dev.lethe.retrieval;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Makes renames into a directory durable, sharing one directory fsync among the archives that
 * are published into the same directory at the same time. A caller returns only once an fsync
 * of the directory that <em>started after its rename</em> has finished.
 */
final class DirectorySyncs {

    private final ConcurrentMap<Path, Group> groups = new ConcurrentHashMap<>();

    /** Call after renaming into {@code dir}; returns once the rename is on disk. */
    void syncAfterRename(Path dir) throws IOException {
        groups.computeIfAbsent(dir.toAbsolutePath().normalize(), d -> new Group()).sync(dir);
    }

    private static final class Group {
        private final AtomicLong requested = new AtomicLong();
        private final ReentrantLock running = new ReentrantLock();
        /** The highest ticket a finished fsync covers; written only while {@link #running} is held. */
        private long covered;

        void sync(Path dir) throws IOException {
            long ticket = requested.incrementAndGet();
            running.lock();
            try {
                if (covered >= ticket) {
                    // why: an fsync that started after our rename finished while we waited.
                    return;
                }
                // why: every ticket up to here was taken after its rename, so this fsync covers them all.
                long covers = requested.get();
                try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
                    channel.force(true);
                }
                covered = covers;
            } finally {
                running.unlock();
            }
        }
    }
}
