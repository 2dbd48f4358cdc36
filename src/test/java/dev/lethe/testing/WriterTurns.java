package dev.lethe.testing;

import java.util.Arrays;

/**
 * Whether threads wait in an embedded store's queue for this process's turn at SQLite's write lock
 * ({@code store/WriterQueue}, package-private: its frames name it), for tests that must act while a write is held back.
 */
public final class WriterTurns {

    private WriterTurns() {
    }

    /** Whether {@code thread} is parked with its work queued for the write turn. */
    public static boolean queued(Thread thread) {
        if (thread == null || (thread.getState() != Thread.State.WAITING && thread.getState() != Thread.State.TIMED_WAITING)) {
            return false;
        }
        return Arrays.stream(thread.getStackTrace()).anyMatch(f -> f.getClassName().equals("dev.lethe.store.WriterQueue$Job"));
    }

    /** Whether any thread of this process is parked with its work queued for the write turn. */
    public static boolean anyQueued() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(WriterTurns::queued);
    }
}
