package dev.lethe.deletion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.json.Json;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a deletion removed so far. A rerun after a crash starts from the counts the earlier
 * run reported, so the totals cover both runs (up to the batch that was cut short).
 */
final class DeletionCounts {

    static final String EVENTS = "events_deleted";
    static final String PROFILES = "profiles_deleted";
    static final String LINKS = "links_deleted";
    static final String ARCHIVES = "archives_deleted";
    static final String IDS = "ids_deleted";
    /** Events of the person that arrived while the deletion ran: dropped at ingestion, never stored. */
    static final String DROPPED = "events_dropped_during_deletion";
    /** How many of the erased ids each kind of link brought in ("requested" for the ids asked for). */
    static final String IDS_BY_LINK = "ids_by_link";
    /** An anonymizing deletion's events kept under the pseudonym, in place of {@link #EVENTS}. */
    static final String ANONYMIZED = "events_anonymized";
    /** Properties an anonymizing deletion dropped from those events (personal ones, and ones named by an id). */
    static final String PROPERTIES_DROPPED = "properties_dropped";
    static final String IDS_ANONYMIZED = "ids_anonymized";

    private boolean anonymize;
    private long propertiesDropped;

    private long events;
    private long profiles;
    private long links;
    private long archives;
    private long ids;
    private long dropped;
    /** Filled once, before the links are erased; a rerun keeps what the first run found. */
    private final Map<String, Long> idsByLink = new TreeMap<>();

    static DeletionCounts resumedFrom(ObjectNode earlier) {
        DeletionCounts c = new DeletionCounts();
        if (earlier != null) {
            c.events = value(earlier, EVENTS);
            c.profiles = value(earlier, PROFILES);
            c.links = value(earlier, LINKS);
            c.archives = value(earlier, ARCHIVES);
            earlier.path(IDS_BY_LINK).fields().forEachRemaining(e -> c.idsByLink.put(e.getKey(), e.getValue().asLong()));
        }
        return c;
    }

    /** The counts of an anonymizing deletion, resumed like {@link #resumedFrom(ObjectNode)}. */
    static DeletionCounts anonymizingFrom(ObjectNode earlier) {
        DeletionCounts c = resumedFrom(earlier);
        c.anonymize = true;
        if (earlier != null) {
            c.events = value(earlier, ANONYMIZED);
            c.propertiesDropped = value(earlier, PROPERTIES_DROPPED);
        }
        return c;
    }

    private static long value(ObjectNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.canConvertToLong() ? v.asLong() : 0;
    }

    void events(long n) {
        events += n;
    }

    void propertiesDropped(long n) {
        propertiesDropped += n;
    }

    void profiles(long n) {
        profiles += n;
    }

    /** Each link is stored once per direction; this counts links, not rows. */
    void linkRows(long rows) {
        links += rows / 2;
    }

    void archives(long n) {
        archives += n;
    }

    void ids(long n) {
        ids = n;
    }

    void dropped(long n) {
        dropped = n;
    }

    boolean knowsLinks() {
        return !idsByLink.isEmpty();
    }

    void linkedBy(String how) {
        idsByLink.merge(how, 1L, Long::sum);
    }

    ObjectNode json() {
        ObjectNode o = Json.object();
        if (anonymize) {
            o.put(ANONYMIZED, events);
            o.put(PROPERTIES_DROPPED, propertiesDropped);
        } else {
            o.put(EVENTS, events);
        }
        o.put(PROFILES, profiles);
        o.put(LINKS, links);
        o.put(ARCHIVES, archives);
        o.put(anonymize ? IDS_ANONYMIZED : IDS, ids);
        o.put(DROPPED, dropped);
        o.set(IDS_BY_LINK, Json.MAPPER.valueToTree(idsByLink));
        return o;
    }
}
