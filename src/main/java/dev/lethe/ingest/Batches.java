package dev.lethe.ingest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.lethe.domain.DomainException;
import dev.lethe.json.Json;
import dev.lethe.json.ReadLimits;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The records of a payload: one JSON object, or an array of at most {@link #MAX} of them, each
 * at most {@link #MAX_RECORD_BYTES}. Read as a stream: a tree is built for one record at a time,
 * and the records past the cap are only counted, never built, so the cost of a hostile body
 * ({@code [{},{},...]}) is its bytes, not a tree many times their size.
 */
public final class Batches {

    public static final int MAX = 2000;
    /** Mixpanel's limit for one event and for one profile update: 1 MB of JSON. */
    public static final int MAX_RECORD_BYTES = 1_000_000;

    // why: the mapper's trailing-token check would read past one element into the next.
    private static final ObjectReader ELEMENT = Json.UNTRUSTED.reader()
            .without(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Batches() {
    }

    /** The records of a JSON payload (strict UTF-8, within the limits of {@link Json#UNTRUSTED}, see {@link ReadLimits}). */
    public static List<JsonNode> read(byte[] json, String what) {
        return read(json, 0, json.length, what);
    }

    static List<JsonNode> read(byte[] json, int offset, int length, String what) {
        Utf8.validate(json, offset, length, what);
        try (JsonParser p = Json.untrustedParser(json, offset, length)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw DomainException.invalidInput(what + " is empty");
            }
            List<JsonNode> records;
            if (first == JsonToken.START_ARRAY) {
                records = elements(p);
            } else if (first == JsonToken.START_OBJECT) {
                records = List.of(record(p));
            } else {
                throw DomainException.invalidInput("expected a JSON object or an array of them");
            }
            if (p.nextToken() != null) {
                throw DomainException.invalidInput(what + " is not valid JSON (or not valid UTF-8)");
            }
            return records;
        } catch (StreamConstraintsException e) {
            throw DomainException.invalidInput(ReadLimits.describe(e, what));
        } catch (JsonProcessingException e) {
            throw DomainException.invalidInput(what + " is not valid JSON (or not valid UTF-8)");
        } catch (IOException e) {
            throw DomainException.invalidInput(what + " could not be read");
        }
    }

    /** The records of an {@code application/x-ndjson} body, one a line; blank lines are skipped. */
    public static List<JsonNode> readNdjson(byte[] body) {
        List<JsonNode> out = new ArrayList<>();
        int start = 0;
        int line = 1;
        int lines = 0;
        while (start < body.length) {
            int end = start;
            while (end < body.length && body[end] != '\n') {
                end++;
            }
            if (!isBlank(body, start, end)) {
                if (++lines > MAX) {
                    throw tooMany(lines + countLines(body, end + 1));
                }
                out.add(single(body, start, end - start, "line " + line + " of the body"));
            }
            start = end + 1;
            line++;
        }
        return out;
    }

    private static JsonNode single(byte[] json, int offset, int length, String what) {
        Utf8.validate(json, offset, length, what);
        try (JsonParser p = Json.untrustedParser(json, offset, length)) {
            if (p.nextToken() == null) {
                throw DomainException.invalidInput(what + " is empty");
            }
            JsonNode node = record(p);
            if (p.nextToken() != null) {
                throw DomainException.invalidInput(what + " is not valid JSON (or not valid UTF-8)");
            }
            return node;
        } catch (StreamConstraintsException e) {
            throw DomainException.invalidInput(ReadLimits.describe(e, what));
        } catch (JsonProcessingException e) {
            throw DomainException.invalidInput(what + " is not valid JSON (or not valid UTF-8)");
        } catch (IOException e) {
            throw DomainException.invalidInput(what + " could not be read");
        }
    }

    private static List<JsonNode> elements(JsonParser p) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == null) {
                throw new com.fasterxml.jackson.core.JsonParseException(p, "unexpected end of input");
            }
            if (out.size() == MAX) {
                int more = 1;
                p.skipChildren();
                while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
                    p.skipChildren();
                    more++;
                }
                throw tooMany(MAX + more);
            }
            out.add(record(p));
        }
        return out;
    }

    /** The value at the parser's current token; its size is checked from its byte offsets. */
    private static JsonNode record(JsonParser p) throws IOException {
        long start = p.currentTokenLocation().getByteOffset();
        JsonNode node = ELEMENT.readTree(p);
        long end = p.currentLocation().getByteOffset();
        if (end - start > MAX_RECORD_BYTES) {
            throw DomainException.invalidInput("a record is larger than " + MAX_RECORD_BYTES + " bytes of JSON (Mixpanel's limit)");
        }
        return node;
    }

    private static DomainException tooMany(int count) {
        return DomainException.invalidInput("a batch holds at most " + MAX + " records, this one has " + count);
    }

    private static int countLines(byte[] body, int from) {
        int n = 0;
        int start = from;
        while (start < body.length) {
            int end = start;
            while (end < body.length && body[end] != '\n') {
                end++;
            }
            if (!isBlank(body, start, end)) {
                n++;
            }
            start = end + 1;
        }
        return n;
    }

    private static boolean isBlank(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            byte b = bytes[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    /** The 400 for a record of a batch that is refused whole. */
    static DomainException invalid(int index, InvalidRecord e, int size) {
        return DomainException.invalidInput(size == 1 ? e.getMessage() : "record " + index + ": " + e.getMessage());
    }
}
