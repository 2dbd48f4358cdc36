package dev.lethe.task;

import dev.lethe.crypto.InstanceKey;

import java.util.Collection;
import java.util.List;

/**
 * The keyed hashes that replace a finished task's ids: its resolved ids as soon as it finishes,
 * its requested ids after the retention window ({@link TaskIdRetention}). Keyed with the instance
 * key, so a list of candidate ids (e-mails) cannot be hashed and matched without it; scoped by
 * project, so one id hashes differently in two projects.
 */
public final class TaskIdHashes {

    /** What a hashed id starts with in the check and the listing: the algorithm, then 64 hex digits. */
    public static final String PREFIX = "hmac-sha256:";

    private final InstanceKey key;

    public TaskIdHashes(InstanceKey key) {
        this.key = key;
    }

    public String hash(long projectId, String id) {
        return PREFIX + key.sign("task-id:" + projectId + ":" + id);
    }

    /**
     * The task's requested ids as keyed hashes, whether it still keeps them in clear or the retention
     * has already replaced them.
     */
    public List<String> requestedIdHashes(Task task) {
        // why: TaskIdRetention replaces the ids and the request key in one UPDATE, and a request key in
        // clear is bare hex (NewTask.requestKey), so a hashed key means hashed ids.
        boolean hashed = task.requestKey() != null && task.requestKey().startsWith(PREFIX);
        return hashed ? task.distinctIds() : hashAll(task.projectId(), task.distinctIds());
    }

    public List<String> hashAll(long projectId, Collection<String> ids) {
        return ids.stream().map(id -> hash(projectId, id)).toList();
    }
}
