package dev.lethe.task;

import dev.lethe.crypto.Secrets;
import dev.lethe.json.Json;

import java.util.List;
import java.util.TreeSet;

/**
 * A task as a client asked for it, before it is stored. {@code disclosureType} is null for
 * deletions; {@code distinctIds} holds each id once, in request order.
 */
public record NewTask(
        long projectId,
        TaskKind kind,
        String complianceType,
        String disclosureType,
        boolean suppress,
        String requestingUser,
        List<String> distinctIds,
        DeletionMode mode) {

    public NewTask {
        distinctIds = List.copyOf(distinctIds);
        mode = mode == null || kind != TaskKind.DELETION ? DeletionMode.DELETE : mode;
    }

    /** A task whose events are deleted (every retrieval, and a deletion by default). */
    public NewTask(long projectId, TaskKind kind, String complianceType, String disclosureType, boolean suppress,
                   String requestingUser, List<String> distinctIds) {
        this(projectId, kind, complianceType, disclosureType, suppress, requestingUser, distinctIds, DeletionMode.DELETE);
    }

    /**
     * Identifies identical requests: same kind, types, suppress flag, mode and set of ids (order
     * and repeats do not matter). An unkeyed digest: the store holds only its keyed hash
     * ({@code IndexKeys.request}), which a list of candidate ids cannot be matched against.
     */
    public String requestDigest() {
        List<Object> parts = new java.util.ArrayList<>(List.of(kind.name(), complianceType, String.valueOf(disclosureType),
                Boolean.toString(suppress), List.copyOf(new TreeSet<>(distinctIds))));
        // why: added only when not the default, so a plain request keeps the key it had before modes existed.
        if (mode == DeletionMode.ANONYMIZE) {
            parts.add(mode.name());
        }
        String canonical = Json.write(parts);
        return Secrets.sha256Hex(canonical);
    }
}
