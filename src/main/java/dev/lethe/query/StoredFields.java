package dev.lethe.query;

import dev.lethe.event.PropertyShape;
import dev.lethe.json.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Finds the top-level fields of stored properties, the UTF-8 text of a JSON object that Lethe's own serializer wrote,
 * without decoding them: an export copies each field as the bytes it is. A scan of the bytes, since finding the
 * fields with Jackson's parser (which tokenises every value, numbers included, over the text decoded to a String)
 * was 60% of the export's request thread in a profile. Anything but a JSON object is refused, never half-copied.
 * UTF-8 never uses the bytes of ASCII inside a multi-byte character, so the structural bytes are found as they are.
 */
final class StoredFields {

    /** Receives each field but the fixed keys as {@code text[start, end)}: its name, colon and value. */
    @FunctionalInterface
    interface Sink {
        void field(byte[] text, int start, int end) throws IOException;
    }

    private static final byte[][] FIXED = PropertyShape.FIXED.stream()
            .map(name -> name.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);

    private final byte[] text;
    private final int limit;
    private int at;
    /** Whether the last string {@link #skipString} passed holds an escape. */
    private boolean escaped;

    private StoredFields(byte[] text, int from, int to) {
        this.text = text;
        this.at = from;
        this.limit = to;
    }

    /**
     * Hands each field of the object in {@code text[from, to)} to {@code sink}, but the fixed keys
     * ({@link PropertyShape#FIXED}).
     */
    static void forEachOwn(byte[] text, int from, int to, Sink sink) throws IOException {
        new StoredFields(text, from, to).scan(sink);
    }

    private void scan(Sink sink) throws IOException {
        skipSpace();
        expect('{');
        skipSpace();
        if (peek() == '}') {
            at++;
            end();
            return;
        }
        while (true) {
            int start = at;
            if (peek() != '"') {
                throw malformed("a field name");
            }
            int nameEnd = skipString();
            boolean fixed = fixed(start + 1, nameEnd - 1);
            skipSpace();
            expect(':');
            skipSpace();
            skipValue();
            if (!fixed) {
                sink.field(text, start, at);
            }
            skipSpace();
            byte c = next();
            if (c == '}') {
                end();
                return;
            }
            if (c != ',') {
                throw malformed("',' or '}'");
            }
            skipSpace();
        }
    }

    /** Whether the name in {@code text[from, to)}, as written between its quotes, is a fixed key. */
    private boolean fixed(int from, int to) {
        if (escaped) {
            // why: a serializer may escape any character; decoded, the name is what the client sent
            String name = Json.readTrusted(new String(text, from - 1, to - from + 2, StandardCharsets.UTF_8)).asText();
            return PropertyShape.FIXED.contains(name);
        }
        for (byte[] name : FIXED) {
            if (Arrays.equals(text, from, to, name, 0, name.length)) {
                return true;
            }
        }
        return false;
    }

    private void skipValue() {
        switch (peek()) {
            case '"' -> skipString();
            case '{', '[' -> skipNested();
            default -> {
                int start = at;
                while (at < limit && !endsScalar(text[at])) {
                    at++;
                }
                if (at == start) {
                    throw malformed("a value");
                }
            }
        }
    }

    /** Whether {@code c} ends a number, true, false or null. */
    private static boolean endsScalar(byte c) {
        return c == ',' || c == '}' || c == ']' || c == ' ' || c == '\n' || c == '\r' || c == '\t';
    }

    /** Skips an object or array, strings in it included; its brackets are left to the serializer that wrote it. */
    private void skipNested() {
        int depth = 0;
        while (at < limit) {
            byte c = text[at];
            if (c == '"') {
                skipString();
                continue;
            }
            at++;
            if (c == '{' || c == '[') {
                depth++;
            } else if ((c == '}' || c == ']') && --depth == 0) {
                return;
            }
        }
        throw malformed("the end of an object or array");
    }

    /** Skips a string starting at its opening quote; returns the position after its closing quote. */
    private int skipString() {
        escaped = false;
        int i = at + 1;
        while (i < limit) {
            byte c = text[i];
            if (c == '"') {
                at = i + 1;
                return at;
            }
            if (c == '\\') {
                escaped = true;
                i += 2;
            } else {
                i++;
            }
        }
        at = limit;
        throw malformed("the end of a string");
    }

    private void end() {
        skipSpace();
        if (at != limit) {
            throw malformed("nothing after the object");
        }
    }

    private void skipSpace() {
        while (at < limit) {
            byte c = text[at];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return;
            }
            at++;
        }
    }

    private byte peek() {
        if (at >= limit) {
            throw malformed("more");
        }
        return text[at];
    }

    private byte next() {
        byte c = peek();
        at++;
        return c;
    }

    private void expect(char c) {
        if (next() != c) {
            throw malformed("'" + c + "'");
        }
    }

    private IllegalStateException malformed(String wanted) {
        // why: the stored text is personal content; the message names the position only
        return new IllegalStateException("stored properties are not a JSON object: " + wanted + " expected at " + at);
    }
}
