package dev.lethe.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.domain.DistinctIds;
import dev.lethe.identity.AnonymousIds;
import dev.lethe.identity.LinkKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one normalisation of an event, shared by {@code /track}, {@code /import} and
 * {@code lethe load}: validates {@code {"event": ..., "properties": {...}}}, converts the time to
 * milliseconds, settles the {@code $insert_id} and reads the identity links the event declares.
 */
public final class EventNormalizer {

    /** Epoch seconds below this are seconds; at or above, milliseconds (1e11 s is the year 5138). */
    private static final double MS_THRESHOLD = 1e11;
    private static final long MAX_TIME_MS = 253_402_300_799_999L; // 9999-12-31T23:59:59.999Z
    private static final long FUTURE_SLACK_MS = 3_600_000L;
    /** Events that instruct identity rather than record behaviour. */
    static final Set<String> IDENTITY_INSTRUCTIONS = Set.of("$merge", "$create_alias", "$identify");
    private static final Pattern STRICT_INSERT_ID = Pattern.compile("[A-Za-z0-9-]{1,36}");

    private EventNormalizer() {
    }

    /**
     * @param nowMs the time the event was received, the default of a missing {@code time}
     * @throws InvalidRecord naming the field that is wrong
     */
    public static NormalizedEvent normalize(JsonNode record, Validation validation, long nowMs) {
        if (record == null || !record.isObject()) {
            throw new InvalidRecord("event", "an event must be a JSON object");
        }
        JsonNode eventNode = record.get("event");
        // why: ids may be numbers (SDKs send numeric ids), an event name may not.
        if (eventNode != null && !eventNode.isNull() && !eventNode.isTextual()) {
            throw new InvalidRecord("event", "event must be a string");
        }
        String event = text(eventNode, "event");
        if (event == null || event.isEmpty()) {
            throw new InvalidRecord("event", "event name is missing or empty");
        }
        StorableValues.reject(record.get("event"), "event");
        JsonNode props = record.get("properties");
        if (props == null || !props.isObject()) {
            throw new InvalidRecord("properties", "properties must be a JSON object");
        }
        StorableValues.reject(props, "properties");
        ObjectNode properties = (ObjectNode) props;
        properties.remove("token");
        // why: Mixpanel's identity API sends these without time or $insert_id even to /import
        // (docs/identity.md); they are instructions, so the time received is their time.
        Validation rules = IDENTITY_INSTRUCTIONS.contains(event) ? Validation.TRACK : validation;
        List<String> merged = event.equals("$merge") ? mergedIds(properties) : null;
        String distinctId = text(properties.get("distinct_id"), "distinct_id");
        if ((distinctId == null || distinctId.isEmpty()) && event.equals("$identify")) {
            distinctId = text(properties.get("$identified_id"), "$identified_id");
        }
        if ((distinctId == null || distinctId.isEmpty()) && merged != null) {
            distinctId = merged.get(0);
        }
        if (distinctId == null || distinctId.isEmpty()) {
            throw new InvalidRecord("distinct_id", "properties.distinct_id is missing or empty");
        }
        long timeMs = timeMs(properties.get("time"), rules, nowMs);
        String insertId = insertId(properties.get("$insert_id"), rules);
        List<IdentityLink> links = merged != null
                ? List.of(new IdentityLink(merged.get(0), merged.get(1), LinkKind.MERGE))
                : links(event, distinctId, properties);
        if (insertId == null) {
            insertId = InsertIds.derive(event, distinctId, timeMs, properties);
        }
        boolean analytics = !event.equals("$create_alias") && merged == null;
        return new NormalizedEvent(distinctId, event, timeMs, insertId, properties, links, analytics);
    }

    /** {@code $merge}'s {@code $distinct_ids}: exactly two ids, as Mixpanel's identity API defines them. */
    private static List<String> mergedIds(ObjectNode properties) {
        JsonNode ids = properties.get("$distinct_ids");
        if (ids == null || !ids.isArray() || ids.size() != 2) {
            throw new InvalidRecord("$distinct_ids", "$merge needs properties.$distinct_ids, an array of two ids");
        }
        List<String> out = new ArrayList<>(2);
        for (JsonNode id : ids) {
            String value = text(id, "$distinct_ids");
            if (value == null || value.isEmpty()) {
                throw new InvalidRecord("$distinct_ids", "$distinct_ids must hold two non-empty ids");
            }
            out.add(value);
        }
        return out;
    }

    private static long timeMs(JsonNode time, Validation validation, long nowMs) {
        if (time == null || time.isNull()) {
            if (validation.timeRequired) {
                throw new InvalidRecord("time", "properties.time is missing");
            }
            return nowMs;
        }
        if (!time.isNumber()) {
            throw new InvalidRecord("time", "properties.time must be a number of seconds or milliseconds since the epoch");
        }
        long ms;
        // why: a time before 1970 is refused before it is scaled: seconds times 1000 overflow a long
        // from -9.2e15 down, and a huge negative wrapped round to a time in range.
        if (time.isIntegralNumber()) {
            if (!time.canConvertToLong() || time.longValue() < 0) {
                throw timeOutOfRange();
            }
            long v = time.longValue();
            ms = v >= MS_THRESHOLD ? v : v * 1000;
        } else {
            double v = time.doubleValue();
            if (!Double.isFinite(v) || v < 0) {
                throw timeOutOfRange();
            }
            double scaled = v >= MS_THRESHOLD ? v : v * 1000;
            if (scaled > MAX_TIME_MS) {
                throw timeOutOfRange();
            }
            ms = Math.round(scaled);
        }
        if (ms > MAX_TIME_MS) {
            throw timeOutOfRange();
        }
        if (validation.strict && ms > nowMs + FUTURE_SLACK_MS) {
            throw new InvalidRecord("time", "properties.time is more than an hour in the future");
        }
        return ms;
    }

    private static InvalidRecord timeOutOfRange() {
        return new InvalidRecord("time", "properties.time is out of range");
    }

    private static String insertId(JsonNode node, Validation validation) {
        String insertId = text(node, "$insert_id");
        if (insertId == null || insertId.isEmpty()) {
            if (validation.strict) {
                throw new InvalidRecord("$insert_id", "properties.$insert_id is missing");
            }
            return null;
        }
        if (validation.strict && !STRICT_INSERT_ID.matcher(insertId).matches()) {
            throw new InvalidRecord("$insert_id", "properties.$insert_id must be 1-36 letters, digits or dashes");
        }
        return insertId;
    }

    /**
     * The links an event claims, in every shape the SDKs send (docs/identity.md): {@code $create_alias};
     * {@code $identify} with {@code $anon_distinct_id} (current SDKs) or {@code $anon_id} (the HTTP
     * form) joining {@code $identified_id}, else the {@code distinct_id}; and {@code $device_id} with
     * {@code $user_id}, where the device is its anonymous distinct_id {@code $device:<id>}, and the bare
     * id too when it has the shape SDKs generate (what older SDKs used as the distinct_id).
     */
    static List<IdentityLink> links(String event, String distinctId, ObjectNode properties) {
        List<IdentityLink> links = new ArrayList<>(1);
        if (event.equals("$create_alias")) {
            String alias = text(properties.get("alias"), "alias");
            if (alias == null || alias.isEmpty()) {
                throw new InvalidRecord("alias", "$create_alias needs properties.alias");
            }
            links.add(new IdentityLink(alias, distinctId, LinkKind.ALIAS));
        }
        if (event.equals("$identify")) {
            String anon = firstNonEmpty(text(properties.get("$anon_distinct_id"), "$anon_distinct_id"),
                    text(properties.get("$anon_id"), "$anon_id"));
            String identified = firstNonEmpty(text(properties.get("$identified_id"), "$identified_id"), distinctId);
            if (anon != null) {
                links.add(new IdentityLink(anon, identified, LinkKind.IDENTIFY));
            }
        }
        String device = text(properties.get("$device_id"), "$device_id");
        String user = text(properties.get("$user_id"), "$user_id");
        if (nonEmpty(device) && nonEmpty(user)) {
            links.add(new IdentityLink(AnonymousIds.ofDevice(device), user, LinkKind.DEVICE));
            if (!device.startsWith(AnonymousIds.DEVICE_PREFIX) && AnonymousIds.looksAnonymous(device)) {
                links.add(new IdentityLink(device, user, LinkKind.DEVICE));
            }
        }
        return links;
    }

    private static String firstNonEmpty(String first, String second) {
        return nonEmpty(first) ? first : nonEmpty(second) ? second : null;
    }

    private static boolean nonEmpty(String s) {
        return s != null && !s.isEmpty();
    }

    /** An id-like field: a string or an integer (SDKs send numeric ids), or null when absent. */
    static String text(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return null;
        }
        String value;
        if (node.isTextual()) {
            value = node.textValue();
        } else if (node.isIntegralNumber()) {
            value = node.asText();
        } else {
            throw new InvalidRecord(field, field + " must be a string");
        }
        String problem = DistinctIds.problem(value);
        if (problem != null) {
            throw new InvalidRecord(field, field + " " + problem);
        }
        return value;
    }
}
