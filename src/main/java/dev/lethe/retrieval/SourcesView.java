package dev.lethe.retrieval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.event.EventRecord;
import dev.lethe.json.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The CCPA Sources view, {@code sources.json}: per person, the means by which the data was
 * collected (ingestion endpoint, SDK library and version, OS, browser, device), each
 * combination with its number of events; profiles are counted under the {@code engage}
 * endpoint, the only one that writes them.
 */
final class SourcesView {

    record Source(String endpoint, String lib, String libVersion, String os, String browser, String device) {

        static Source of(EventRecord e) {
            JsonNode p = Json.readTrusted(e.propertiesJson());
            String lib = text(p, "$lib");
            return new Source(e.source(), lib != null ? lib : text(p, "mp_lib"), text(p, "$lib_version"),
                    text(p, "$os"), text(p, "$browser"), text(p, "$device"));
        }

        private static String text(JsonNode p, String field) {
            JsonNode v = p.get(field);
            return v == null || v.isNull() ? null : v.asText();
        }
    }

    private SourcesView() {
    }

    static void write(ArchiveWriter w, Export x, ExportReader reader) throws IOException {
        People people = x.people();
        @SuppressWarnings("unchecked")
        Map<Source, Long>[] sources = new Map[people.size()];
        long[] profiles = new long[people.size()];
        for (int i = 0; i < sources.length; i++) {
            sources[i] = new LinkedHashMap<>();
        }
        reader.forEachEvent(x, e -> {
            sources[people.personOf(e.distinctId())].merge(Source.of(e), 1L, Long::sum);
            x.countEvent();
        });
        reader.forEachProfile(x, (id, properties) -> {
            profiles[people.personOf(id)]++;
            x.countProfile();
        });
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (int i = 0; i < sources.length; i++) {
            ObjectNode person = list.addObject();
            person.set("distinct_ids", Json.MAPPER.valueToTree(people.members(i)));
            ArrayNode events = person.putArray("event_sources");
            sources[i].forEach((s, n) -> {
                ObjectNode o = events.addObject();
                o.put("endpoint", s.endpoint());
                o.put("lib", s.lib());
                o.put("lib_version", s.libVersion());
                o.put("os", s.os());
                o.put("browser", s.browser());
                o.put("device", s.device());
                o.put("events", n);
            });
            ArrayNode profileSources = person.putArray("profile_sources");
            if (profiles[i] > 0) {
                profileSources.addObject().put("endpoint", "engage").put("profiles", profiles[i]);
            }
        }
        ObjectNode doc = Json.object();
        doc.set("people", list);
        try (OutputStream out = w.entry("sources.json")) {
            out.write(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(doc));
        }
    }
}
