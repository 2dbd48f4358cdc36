package dev.lethe.task;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * A GDPR task as stored. Times are epoch milliseconds. {@code personIds} is set in STAGING
 * (the requested ids plus every id linked to them); {@code counts} holds progress and
 * results ({@code events_deleted}, ...); {@code version} guards every update. {@code mode} is what a
 * deletion does to the events (DELETE for every retrieval).
 */
public record Task(
        long id,
        String trackingId,
        long projectId,
        TaskKind kind,
        TaskStatus status,
        String complianceType,
        String disclosureType,
        boolean suppress,
        String requestingUser,
        List<String> distinctIds,
        String requestKey,
        long dateRequested,
        List<String> personIds,
        ObjectNode counts,
        String error,
        Long startedAt,
        Long finishedAt,
        String resultPath,
        Long resultExpiresAt,
        boolean resultPurged,
        long version,
        String owner,
        Long leaseUntil,
        int attempts,
        long updatedAt,
        DeletionMode mode) {

    /** Whether this is a deletion that keeps the person's events anonymized instead of deleting them. */
    public boolean anonymizes() {
        return kind == TaskKind.DELETION && mode == DeletionMode.ANONYMIZE;
    }
}
