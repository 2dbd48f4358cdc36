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
        List<String> distinctIds) {

    public NewTask {
        distinctIds = List.copyOf(distinctIds);
    }

    /**
     * Identifies identical requests: same kind, types, suppress flag and set of ids (order
     * and repeats do not matter). An unkeyed digest: the store holds only its keyed hash
     * ({@code IndexKeys.request}), which a list of candidate ids cannot be matched against.
     */
    public String requestDigest() {
        String canonical = Json.write(List.of(kind.name(), complianceType, String.valueOf(disclosureType),
                Boolean.toString(suppress), List.copyOf(new TreeSet<>(distinctIds))));
        return Secrets.sha256Hex(canonical);
    }
}
