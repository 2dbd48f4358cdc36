package dev.lethe.web.console;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.task.Task;

import java.util.Locale;
import java.util.StringJoiner;

/** A task as a row of the requests table, the same for the HTML page and its JSON refresh. */
record TaskRowView(String tracking_id, String kind, String status, int ids, String requested_by, String requested_at,
                   String duration, String counts, String href, boolean active) {

    static TaskRowView of(long projectId, Task t) {
        String kind = t.kind().name().toLowerCase(Locale.ROOT);
        return new TaskRowView(t.trackingId(), kind, t.status().name(), t.distinctIds() == null ? 0 : t.distinctIds().size(),
                t.requestingUser(), Html.when(t.dateRequested()), Html.duration(t.dateRequested(), t.finishedAt()),
                counts(t.counts()), "/console/p/" + projectId + "/requests/" + kind + "/" + t.trackingId(), t.status().isActive());
    }

    static String counts(ObjectNode counts) {
        if (counts == null || counts.isEmpty()) {
            return "";
        }
        StringJoiner out = new StringJoiner(", ");
        counts.fields().forEachRemaining(e -> out.add(e.getKey().replace('_', ' ') + ": " + e.getValue().asText()));
        return out.toString();
    }

    String html() {
        return "<tr data-status=\"" + Html.e(status) + "\">"
                + "<td data-label=\"Request\"><a href=\"" + Html.e(href) + "\"><code>" + Html.e(tracking_id) + "</code></a></td>"
                + "<td data-label=\"Kind\">" + Html.e(kind) + "</td>"
                + "<td data-label=\"Status\"><span class=\"status " + Html.e(status) + "\">" + Html.e(status) + "</span></td>"
                + "<td data-label=\"Ids\" class=\"num\">" + ids + "</td>"
                + "<td data-label=\"Asked by\">" + Html.e(requested_by) + "</td>"
                + "<td data-label=\"Requested\">" + Html.e(requested_at) + "</td>"
                + "<td data-label=\"Took\">" + Html.e(duration) + "</td>"
                + "<td data-label=\"Counts\">" + Html.e(counts) + "</td></tr>";
    }
}
