package dev.lethe.retrieval;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.json.Json;

import java.time.Instant;
import java.util.List;

/** {@code manifest.json}, written last so it can carry the SHA-256 of every other file. See docs/archive-format.md. */
final class Manifest {

    static final String FORMAT = "lethe-archive/1";

    private Manifest() {
    }

    static byte[] json(Export x, List<ArchiveWriter.Entry> files, long createdAtMs, ArchiveEncryption encryption) {
        ObjectNode m = Json.object();
        m.put("format", FORMAT);
        m.put("task_id", x.task().trackingId());
        m.put("project_id", x.projectId());
        m.put("compliance_type", x.task().complianceType().toUpperCase(java.util.Locale.ROOT));
        m.put("disclosure_type", x.view().wireName());
        m.set("requested_distinct_ids", Json.MAPPER.valueToTree(x.task().distinctIds()));
        m.set("resolved_distinct_ids", Json.MAPPER.valueToTree(x.ids()));
        // why: the subject (and the operator) can see why an id they did not name is in the archive.
        m.set("how_linked", Json.MAPPER.valueToTree(x.howLinked()));
        m.put("time_unit", "milliseconds");
        ObjectNode window = m.putObject("time_window");
        if (x.fromMs() == null) {
            window.putNull("from_ms");
            window.putNull("from");
        } else {
            window.put("from_ms", x.fromMs());
            window.put("from", Instant.ofEpochMilli(x.fromMs()).toString());
        }
        // why: events dated after the export (clock skew of a device) are still the person's data.
        window.putNull("to_ms");
        window.putNull("to");
        m.set("counts", x.counts());
        m.put("created_at_ms", createdAtMs);
        m.put("created_at", Instant.ofEpochMilli(createdAtMs).toString());
        m.put("encrypted", encryption != ArchiveEncryption.NONE);
        m.put("encryption", encryption.wireName());
        ArrayNode list = m.putArray("files");
        for (ArchiveWriter.Entry f : files) {
            list.addObject().put("name", f.name()).put("bytes", f.bytes()).put("sha256", f.sha256());
        }
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(m);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
