package dev.lethe.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.domain.DomainException;
import dev.lethe.json.Json;

import java.io.IOException;
import java.util.Base64;

/** Turns what an SDK sent (a {@code data=} value or a JSON body) into a JSON tree. */
public final class DataDecoder {

    private DataDecoder() {
    }

    /**
     * A raw {@code data=} value: plain JSON (form-decoded, so {@code +} is a space as form
     * encoders intend) or base64 of JSON, standard or URL-safe, padded or not, URL-encoded or not.
     */
    public static JsonNode decodeData(String raw) {
        String trimmed = raw.trim();
        if (trimmed.isEmpty()) {
            throw DomainException.invalidInput("data is empty");
        }
        if (looksLikeJson(trimmed)) {
            return parse(FormCodec.decode(trimmed, true).getBytes(java.nio.charset.StandardCharsets.UTF_8), "data");
        }
        // why: a client that form-decoded our unencoded base64 turned its '+' into ' '.
        String base64 = FormCodec.decode(trimmed, false).replace(' ', '+').replaceAll("[\\r\\n]", "");
        byte[] bytes;
        try {
            bytes = base64.indexOf('-') >= 0 || base64.indexOf('_') >= 0
                    ? Base64.getUrlDecoder().decode(base64)
                    : Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw DomainException.invalidInput("data is neither JSON nor base64-encoded JSON");
        }
        return parse(bytes, "data");
    }

    private static boolean looksLikeJson(String s) {
        char first = s.charAt(0);
        return first == '{' || first == '[' || s.startsWith("%7B") || s.startsWith("%7b")
                || s.startsWith("%5B") || s.startsWith("%5b");
    }

    /** Parses JSON bytes strictly: malformed JSON or UTF-8 is a 400 naming what was bad. */
    public static JsonNode parse(byte[] bytes, String what) {
        try {
            // why: Jackson lets overlong forms and encoded surrogates through; they must not be stored.
            JsonNode node = Json.MAPPER.readTree(Utf8.decode(bytes, what));
            if (node == null || node.isMissingNode()) {
                throw DomainException.invalidInput(what + " is empty");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw DomainException.invalidInput(what + " is not valid JSON (or not valid UTF-8)");
        } catch (IOException e) {
            throw DomainException.invalidInput(what + " could not be read");
        }
    }
}
