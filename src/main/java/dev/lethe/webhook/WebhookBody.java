package dev.lethe.webhook;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.lethe.json.Json;
import dev.lethe.task.Task;
import dev.lethe.task.TaskKind;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The body of one delivery, rendered when it is sent: the Standard Webhooks envelope
 * ({@code type}, {@code timestamp}, {@code data}) around the task in the shape the GDPR API's check
 * answers (without verbose), plus its kind and a deletion's mode, with {@code status} as of the event. The ids are the ones
 * the task holds at sending time: keyed hashes once its id retention has passed, as in the check.
 */
final class WebhookBody {

    /** The check's times: UTC, microseconds, no zone (as web/gdpr renders them). */
    private static final DateTimeFormatter CHECK_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

    private WebhookBody() {
    }

    /** {@code mode} (delete or anonymize) is a deletion's only; the check shows it with verbose. */
    record Data(String tracking_id, String kind, String status, String requesting_user, String compliance_type,
                long project_id, String date_requested, List<String> distinct_ids,
                @JsonInclude(JsonInclude.Include.NON_NULL) String mode) {
    }

    record Envelope(String type, String timestamp, Data data) {
    }

    static byte[] render(String event, String statusAtEvent, long occurredAt, Task task) {
        Data data = new Data(task.trackingId(), task.kind().name().toLowerCase(Locale.ROOT), statusAtEvent, task.requestingUser(),
                task.complianceType(), task.projectId(), CHECK_TIME.format(Instant.ofEpochMilli(task.dateRequested())),
                task.distinctIds() == null ? List.of() : task.distinctIds(),
                task.kind() == TaskKind.DELETION ? task.mode().wireName() : null);
        return Json.write(new Envelope(event, Instant.ofEpochMilli(occurredAt).toString(), data)).getBytes(StandardCharsets.UTF_8);
    }
}
