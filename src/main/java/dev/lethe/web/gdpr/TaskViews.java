package dev.lethe.web.gdpr;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.json.Json;
import dev.lethe.task.Task;

import java.util.List;

/** The response bodies of the GDPR API, as records named after the JSON they render to. */
final class TaskViews {

    private TaskViews() {
    }

    record Ok<T>(String status, T results) {
        static <T> Ok<T> of(T results) {
            return new Ok<>("ok", results);
        }
    }

    record Created(String task_id, String tracking_id) {
        static Created of(Task task) {
            return new Created(task.trackingId(), task.trackingId());
        }
    }

    /** The answer to lifting a suppression: how many suppressed ids went, and whether it had been lifted before. */
    record SuppressionLifted(String tracking_id, int ids_lifted, boolean already_lifted) {
    }

    /** Shown with {@code verbose=1} only: progress and the engine's view of the task. */
    record Detail(List<String> person_ids, ObjectNode counts, String started_at, String finished_at, String error) {
        static Detail of(Task task, boolean verbose) {
            if (!verbose) {
                return null;
            }
            return new Detail(task.personIds() == null ? List.of() : task.personIds(),
                    task.counts() == null ? Json.object() : task.counts(),
                    Timestamps.formatOrNull(task.startedAt()), Timestamps.formatOrNull(task.finishedAt()), task.error());
        }
    }

    /** A deletion: exactly these fields unless verbose; verbose adds the mode ({@code delete} or {@code anonymize}). */
    record Deletion(String tracking_id, String status, String requesting_user, String compliance_type, long project_id,
                    String date_requested, List<String> distinct_ids,
                    @JsonInclude(JsonInclude.Include.NON_NULL) String mode, @JsonUnwrapped Detail detail) {
        static Deletion of(Task task, boolean verbose) {
            return new Deletion(task.trackingId(), task.status().name(), task.requestingUser(), task.complianceType(),
                    task.projectId(), Timestamps.format(task.dateRequested()), task.distinctIds(),
                    verbose ? task.mode().wireName() : null, Detail.of(task, verbose));
        }
    }

    /** A retrieval as checked: {@code results} and {@code result} both carry the link (clients read either). */
    record Retrieval(String status, String results, String result, List<String> distinct_ids,
                     @JsonUnwrapped RetrievalExtra extra) {
        static Retrieval of(Task task, String link, boolean verbose, String archivePassword) {
            return new Retrieval(task.status().name(), link, link, task.distinctIds(),
                    verbose ? RetrievalExtra.of(task, archivePassword) : null);
        }
    }

    /** What {@code verbose=1} adds to a retrieval check. */
    record RetrievalExtra(String tracking_id, String requesting_user, String compliance_type, String disclosure_type,
                          long project_id, String date_requested, @JsonUnwrapped Detail detail,
                          @JsonInclude(JsonInclude.Include.NON_NULL) String archive_password) {
        static RetrievalExtra of(Task task, String archivePassword) {
            return new RetrievalExtra(task.trackingId(), task.requestingUser(), task.complianceType(),
                    task.disclosureType(), task.projectId(), Timestamps.format(task.dateRequested()), Detail.of(task, true),
                    archivePassword);
        }
    }

    /** A retrieval in a listing. */
    record RetrievalListed(String tracking_id, String status, String requesting_user, String compliance_type,
                           String disclosure_type, long project_id, String date_requested, List<String> distinct_ids,
                           String result, @JsonUnwrapped Detail detail) {
        static RetrievalListed of(Task task, String link, boolean verbose) {
            return new RetrievalListed(task.trackingId(), task.status().name(), task.requestingUser(),
                    task.complianceType(), task.disclosureType(), task.projectId(), Timestamps.format(task.dateRequested()),
                    task.distinctIds(), link, Detail.of(task, verbose));
        }
    }

    record Page<T>(String status, List<T> results, String next_cursor) {
    }
}
