package dev.lethe.ingest;

import dev.lethe.domain.DomainException;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Parses {@code a=b&c=d} from a raw query string or form body, keeping the values raw. The
 * caller decodes them: SDKs send base64 {@code data=} without URL-encoding it, so a {@code +}
 * there is part of the base64, while in an ordinary form value it is a space.
 */
public final class FormCodec {

    private FormCodec() {
    }

    /**
     * At most this many parameters in a query string or form body, as Jetty's own form parser
     * allows (which this one replaces): an SDK sends three or four.
     */
    public static final int MAX_KEYS = 1000;

    /**
     * The raw (still encoded) values by decoded name; the first occurrence of a name wins. More
     * than {@link #MAX_KEYS} parameters is a 400, found before the map grows past them.
     */
    public static Map<String, String> parseRaw(String raw) {
        return parseRaw(raw, null);
    }

    /**
     * {@link #parseRaw}, but a name given more than once is a 400 naming it: where each value would filter, keeping
     * the first and dropping the rest answers a question the client did not ask.
     *
     * @param what the kind of parameter, as the refusal names it ({@code the query parameter})
     */
    public static Map<String, String> parseRawOnce(String raw, String what) {
        return parseRaw(raw, what);
    }

    private static Map<String, String> parseRaw(String raw, String onceWhat) {
        Map<String, String> out = new LinkedHashMap<>();
        forEachPair(raw, (name, value) -> {
            if (out.putIfAbsent(name, value) != null && onceWhat != null) {
                throw DomainException.invalidInput(onceWhat + " \"" + name + "\" is given more than once");
            }
        });
        return out;
    }

    /** How many times the (decoded) name occurs in a raw query string or form body, which {@link #parseRaw} keeps once. */
    public static int count(String raw, String name) {
        int[] n = {0};
        forEachPair(raw, (other, value) -> {
            if (other.equals(name)) {
                n[0]++;
            }
        });
        return n[0];
    }

    /**
     * Each {@code name=value} pair in order, the name decoded and the value still raw; more than {@link #MAX_KEYS}
     * is a 400, found before the caller has seen more than them.
     */
    private static void forEachPair(String raw, BiConsumer<String, String> pair) {
        if (raw == null || raw.isEmpty()) {
            return;
        }
        int pairs = 0;
        int start = 0;
        while (start <= raw.length()) {
            int end = raw.indexOf('&', start);
            if (end < 0) {
                end = raw.length();
            }
            if (end > start) {
                if (++pairs > MAX_KEYS) {
                    throw DomainException.invalidInput("more than " + MAX_KEYS + " parameters in the query string or form body");
                }
                int eq = raw.indexOf('=', start);
                boolean valued = eq >= 0 && eq < end;
                pair.accept(decode(raw.substring(start, valued ? eq : end), true), valued ? raw.substring(eq + 1, end) : "");
            }
            start = end + 1;
        }
    }

    /** Decodes {@code %XX} escapes as UTF-8, and {@code +} as a space only when asked to. */
    public static String decode(String raw, boolean plusIsSpace) {
        return decode(raw, plusIsSpace, "the request parameters", "a request parameter");
    }

    /** Like {@link #decode(String, boolean)}, for a value whose refusal names it ({@code the form field "ids"}). */
    public static String decode(String raw, boolean plusIsSpace, String what) {
        return decode(raw, plusIsSpace, what, what);
    }

    private static String decode(String raw, boolean plusIsSpace, String escapesIn, String what) {
        if (raw.indexOf('%') < 0 && (!plusIsSpace || raw.indexOf('+') < 0)) {
            return raw;
        }
        byte[] in = raw.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '+' && plusIsSpace) {
                out.write(' ');
            } else if (in[i] != '%') {
                out.write(in[i]);
            } else {
                int hi = i + 2 < in.length ? Character.digit(in[i + 1], 16) : -1;
                int lo = i + 2 < in.length ? Character.digit(in[i + 2], 16) : -1;
                if (hi < 0 || lo < 0) {
                    throw DomainException.invalidInput("malformed percent-encoding in " + escapesIn);
                }
                out.write(hi << 4 | lo);
                i += 2;
            }
        }
        return Utf8.decode(out.toByteArray(), what);
    }
}
