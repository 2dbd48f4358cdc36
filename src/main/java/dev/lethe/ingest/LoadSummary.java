package dev.lethe.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.json.Json;

import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code lethe load} did: events loaded (new rows, and {@code $create_alias} links), events
 * already stored, profiles set, and lines rejected, counted by reason (suppressed ids are one reason).
 */
public final class LoadSummary {

    private long loaded;
    private long duplicates;
    private long rejected;
    private long profiles;
    private final Map<String, Long> reasons = new TreeMap<>();

    void add(EventIngester.Outcome outcome) {
        loaded += outcome.accepted() - outcome.duplicates();
        duplicates += outcome.duplicates();
        if (outcome.dropped() > 0) {
            rejected += outcome.dropped();
            reasons.merge("id is suppressed", (long) outcome.dropped(), Long::sum);
        }
    }

    /** @param dropped profiles not set because their id is suppressed */
    void addProfiles(int set, int dropped) {
        profiles += set;
        if (dropped > 0) {
            rejected += dropped;
            reasons.merge("id is suppressed", (long) dropped, Long::sum);
        }
    }

    void reject(String reason) {
        rejected++;
        reasons.merge(reason, 1L, Long::sum);
    }

    public long loaded() {
        return loaded;
    }

    public long duplicates() {
        return duplicates;
    }

    public long profiles() {
        return profiles;
    }

    public long rejected() {
        return rejected;
    }

    public String toJson() {
        ObjectNode out = Json.object();
        out.put("loaded", loaded);
        out.put("duplicates", duplicates);
        out.put("profiles", profiles);
        out.put("rejected", rejected);
        ObjectNode byReason = out.putObject("reasons");
        reasons.forEach(byReason::put);
        return Json.write(out);
    }
}
