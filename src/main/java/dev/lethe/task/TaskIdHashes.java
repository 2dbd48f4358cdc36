package dev.lethe.task;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.crypto.InstanceKey;
import dev.lethe.json.Json;

import java.util.Collection;
import java.util.List;

/**
 * How the {@code tasks} table keeps ids. The resolved ids (linked ids nobody asked for among
 * them) are sealed with the instance key while the task runs and become keyed hashes as it
 * finishes; the requested ids become keyed hashes after the retention window
 * ({@link TaskIdRetention}). Keyed with the instance key, so a list of candidate ids (e-mails)
 * cannot be hashed and matched without it; scoped by project, so one id hashes differently in
 * two projects.
 */
public final class TaskIdHashes {

    /** What a hashed id starts with in the check and the listing: the algorithm, then 64 hex digits. */
    public static final String PREFIX = "hmac-sha256:";

    private final InstanceKey key;

    public TaskIdHashes(InstanceKey key) {
        this.key = key;
    }

    /** The field of a sealed id list: base64 of nonce and AES-GCM ciphertext of the JSON list. */
    static final String SEALED = "sealed";

    public String hash(long projectId, String id) {
        return PREFIX + key.sign("task-id:" + projectId + ":" + id);
    }

    /**
     * The task's requested ids as keyed hashes, whether it still keeps them in clear or the retention
     * has already replaced them.
     */
    public List<String> requestedIdHashes(Task task) {
        // why: TaskIdRetention replaces the ids and the request key in one UPDATE, and a request key in
        // clear is bare hex (IndexKeys.request), so a key with the prefix means hashed ids.
        boolean hashed = task.requestKey() != null && task.requestKey().startsWith(PREFIX);
        return hashed ? task.distinctIds() : hashAll(task.projectId(), task.distinctIds());
    }

    public List<String> hashAll(long projectId, Collection<String> ids) {
        return ids.stream().map(id -> hash(projectId, id)).toList();
    }

    /**
     * The resolved ids as a running task stores them: a JSON object whose one field holds the
     * list sealed with the instance key. An object, so it cannot be mistaken for a list of ids,
     * whatever the ids look like.
     */
    public String sealList(List<String> ids) {
        ObjectNode sealed = Json.MAPPER.createObjectNode();
        sealed.put(SEALED, key.seal(Json.write(ids)));
        return Json.write(sealed);
    }

    /** A stored id list as the instance reads it: a sealed list opened, a clear or hashed one as it is; null stays null. */
    public List<String> openList(String json) {
        return json == null ? null : TaskRows.idList(json, this);
    }

    String unseal(String sealed) {
        return key.unseal(sealed);
    }
}
