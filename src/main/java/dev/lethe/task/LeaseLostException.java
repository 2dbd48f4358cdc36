package dev.lethe.task;

/**
 * The worker no longer holds the task: its lease expired and another worker took it over,
 * or the task was changed under it. The worker stops; the new holder finishes the work.
 */
public final class LeaseLostException extends RuntimeException {
    public LeaseLostException(String trackingId) {
        super("lost the lease on task " + trackingId, null, false, false);
    }
}
