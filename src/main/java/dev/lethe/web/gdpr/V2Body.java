package dev.lethe.web.gdpr;

import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.domain.DomainException;
import dev.lethe.json.Json;
import dev.lethe.json.ReadLimits;

/**
 * The body of a GDPR API v2.0 create, turned into the v3.0 body it stands for, so one parser
 * ({@code gdpr/CreateRequest}) checks both: {@code distinct_id} (one id, v2.0's retrieval) becomes
 * {@code distinct_ids}, and the project token v2.0 clients may send as {@code token} is taken out.
 */
record V2Body(ObjectNode v3, String token) {

    static V2Body parse(byte[] bytes) {
        JsonNode node;
        try {
            node = bytes.length == 0 ? Json.object() : Json.UNTRUSTED.readTree(bytes);
        } catch (StreamConstraintsException e) {
            throw DomainException.invalidInput("malformed JSON body: " + ReadLimits.describe(e, "it"));
        } catch (java.io.IOException e) {
            throw DomainException.invalidInput("malformed JSON body");
        }
        if (node == null || !node.isObject()) {
            throw DomainException.invalidInput("the body must be a JSON object");
        }
        ObjectNode body = ((ObjectNode) node).deepCopy();
        JsonNode token = body.remove("token");
        if (token != null && !token.isTextual()) {
            throw DomainException.invalidInput("token must be a string");
        }
        JsonNode one = body.remove("distinct_id");
        if (one != null) {
            if (body.has("distinct_ids")) {
                throw DomainException.invalidInput("give distinct_id or distinct_ids, not both");
            }
            if (!one.isTextual()) {
                throw DomainException.invalidInput("distinct_id must be a string");
            }
            body.putArray("distinct_ids").add(one.asText());
        }
        return new V2Body(body, token == null ? null : token.asText());
    }

    byte[] asV3() {
        return Json.write(v3).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
