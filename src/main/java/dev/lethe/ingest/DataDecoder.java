package dev.lethe.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.domain.DomainException;

import java.util.Base64;
import java.util.List;

/** Turns an SDK's {@code data=} value into its records (see {@link Batches}). */
public final class DataDecoder {

    private DataDecoder() {
    }

    /**
     * A raw {@code data=} value: plain JSON (form-decoded, so {@code +} is a space as form
     * encoders intend) or base64 of JSON, standard or URL-safe, padded or not, URL-encoded or not.
     */
    public static List<JsonNode> decodeData(String raw) {
        String trimmed = raw.trim();
        if (trimmed.isEmpty()) {
            throw DomainException.invalidInput("data is empty");
        }
        if (looksLikeJson(trimmed)) {
            return Batches.read(FormCodec.decode(trimmed, true).getBytes(java.nio.charset.StandardCharsets.UTF_8), "data");
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
        return Batches.read(bytes, "data");
    }

    private static boolean looksLikeJson(String s) {
        char first = s.charAt(0);
        return first == '{' || first == '[' || s.startsWith("%7B") || s.startsWith("%7b")
                || s.startsWith("%5B") || s.startsWith("%5b");
    }
}
