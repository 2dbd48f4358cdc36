package dev.lethe.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.domain.DomainException;
import dev.lethe.json.Json;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;

/**
 * How large a profile may grow. Mixpanel documents at most 2000 properties a profile (attempts
 * past it fail) and 256 KB for a list or object property; Lethe adds a bound on the whole profile,
 * because every update rewrites the profile inside the one write transaction that all ingestion
 * shares, so its size is the price of the smallest {@code $set}. Updates that only shrink a profile
 * ({@code $unset}, {@code $remove}, {@code $delete}) are never refused, so an over-limit profile
 * left by an older version can always be trimmed.
 */
final class ProfileLimits {

    static final int MAX_PROPERTIES = 2000;
    static final int MAX_CONTAINER_BYTES = 256 * 1024;
    static final int MAX_PROFILE_BYTES = 1024 * 1024;

    private ProfileLimits() {
    }

    /** @throws DomainException (400) when the update took the profile past a limit */
    static void check(String operation, JsonNode value, ObjectNode profile) {
        if (profile == null || operation.equals("$unset") || operation.equals("$remove") || operation.equals("$delete")) {
            return;
        }
        if (profile.size() > MAX_PROPERTIES) {
            throw refused("a profile holds at most " + MAX_PROPERTIES + " properties");
        }
        for (Iterator<String> names = value.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            JsonNode v = profile.get(name);
            if (v != null && v.isContainerNode() && bytes(v) > MAX_CONTAINER_BYTES) {
                throw refused("a list or object property of a profile holds at most " + MAX_CONTAINER_BYTES
                        + " bytes of JSON; " + name.length() + "-character property " + abbreviate(name) + " would exceed it");
            }
        }
        if (bytes(profile) > MAX_PROFILE_BYTES) {
            throw refused("a profile holds at most " + MAX_PROFILE_BYTES + " bytes of JSON");
        }
    }

    private static long bytes(JsonNode node) {
        return Json.write(node).getBytes(StandardCharsets.UTF_8).length;
    }

    private static String abbreviate(String name) {
        return name.length() > 40 ? name.substring(0, 40) + "..." : name;
    }

    private static DomainException refused(String limit) {
        return DomainException.invalidInput(limit + " (Mixpanel's profile limits); the update was not applied, nor the rest of its request");
    }
}
