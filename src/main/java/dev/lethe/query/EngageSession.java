package dev.lethe.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.crypto.InstanceKey;
import dev.lethe.crypto.Secrets;
import dev.lethe.domain.DomainException;
import dev.lethe.json.Json;

import java.util.Base64;
import java.util.HexFormat;

/**
 * The {@code session_id} of a profile listing: a keyset cursor, sealed with the instance key so
 * a client can neither read nor forge it. It names the query it belongs to (a fingerprint), the
 * page it leads to, the person key of the last profile of the page before (null before the first),
 * and the total counted when the listing started.
 */
record EngageSession(String fingerprint, int nextPage, byte[] afterKey, long total) {

    String seal(InstanceKey key) {
        ObjectNode o = Json.object();
        o.put("f", fingerprint);
        o.put("p", nextPage);
        if (afterKey != null) {
            o.put("k", HexFormat.of().formatHex(afterKey));
        }
        o.put("t", total);
        byte[] sealed = Base64.getDecoder().decode(key.seal(Json.write(o)));
        // why: URL-safe, so it survives a query string or form without encoding
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sealed);
    }

    static EngageSession open(InstanceKey key, String sessionId) {
        try {
            String std = Base64.getEncoder().encodeToString(Base64.getUrlDecoder().decode(sessionId));
            JsonNode o = Json.readTrusted(key.unseal(std));
            if (o.has("a")) {
                // why: a session issued before the listing was ordered by person key: its cursor is an id
                throw new IllegalArgumentException("a cursor of the order before person keys");
            }
            return new EngageSession(o.get("f").asText(), o.get("p").asInt(),
                    o.hasNonNull("k") ? HexFormat.of().parseHex(o.get("k").asText()) : null, o.get("t").asLong());
        } catch (RuntimeException e) {
            throw DomainException.invalidInput("session_id is not one this Lethe instance issued; start again from page 0");
        }
    }

    /** What a session is bound to: the project, the ids, the filter and the page size (not the output properties). */
    static String fingerprint(long projectId, EngageRequest r) {
        String ids = r.ids() == null ? "*" : String.join("\u0000", r.ids());
        return Secrets.sha256Hex(projectId + "\u0001" + ids + "\u0001" + r.where().source() + "\u0001" + r.pageSize()).substring(0, 32);
    }
}
