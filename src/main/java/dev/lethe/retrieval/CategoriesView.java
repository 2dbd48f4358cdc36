package dev.lethe.retrieval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.json.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Iterator;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The CCPA Categories view, {@code categories.json}: per person, the event names held (with
 * how many events of each) and the property names of the events and of the profile, never
 * the values. Memory follows the number of distinct names, not of events.
 */
final class CategoriesView {

    private static final class Held {
        final SortedMap<String, Long> eventNames = new TreeMap<>();
        final Set<String> eventProperties = new TreeSet<>();
        final Set<String> profileProperties = new TreeSet<>();
    }

    private CategoriesView() {
    }

    static void write(ArchiveWriter w, Export x, ExportReader reader) throws IOException {
        People people = x.people();
        Held[] held = new Held[people.size()];
        for (int i = 0; i < held.length; i++) {
            held[i] = new Held();
        }
        reader.forEachEvent(x, e -> {
            Held h = held[people.personOf(e.distinctId())];
            h.eventNames.merge(e.event(), 1L, Long::sum);
            // why: the Data view places these three inside the properties, so they are held too.
            h.eventProperties.add("distinct_id");
            h.eventProperties.add("time");
            h.eventProperties.add("$insert_id");
            addNames(Json.readTrusted(e.propertiesJson()), h.eventProperties);
            x.countEvent();
        });
        reader.forEachProfile(x, (id, properties) -> {
            addNames(properties, held[people.personOf(id)].profileProperties);
            x.countProfile();
        });
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (int i = 0; i < held.length; i++) {
            ObjectNode person = list.addObject();
            person.set("distinct_ids", Json.MAPPER.valueToTree(people.members(i)));
            person.set("event_names", Json.MAPPER.valueToTree(held[i].eventNames));
            person.set("event_property_names", Json.MAPPER.valueToTree(held[i].eventProperties));
            person.set("profile_property_names", Json.MAPPER.valueToTree(held[i].profileProperties));
        }
        ObjectNode doc = Json.object();
        doc.set("people", list);
        try (OutputStream out = w.entry("categories.json")) {
            out.write(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(doc));
        }
    }

    private static void addNames(JsonNode properties, Set<String> into) {
        for (Iterator<String> names = properties.fieldNames(); names.hasNext(); ) {
            into.add(names.next());
        }
    }
}
