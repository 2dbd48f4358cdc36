package dev.lethe.gdpr;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Distinct ids as an operator gives them: pasted one a line, or a CSV file whose first column
 * holds them (Mixpanel's form takes such a file; a header cell {@code distinct_id} is skipped).
 * Each refused line is reported with its number and the reason, and the caller files nothing
 * while any line is refused. Blank lines are skipped; repeated ids count once.
 */
public record IdList(List<String> ids, List<Refusal> refused, int repeats) {

    /** A line that cannot be an id: where it was, what it started with, and why. */
    public record Refusal(String source, int line, String excerpt, String reason) {
    }

    public boolean acceptable() {
        return refused.isEmpty() && !ids.isEmpty() && ids.size() <= CreateRequest.MAX_IDS;
    }

    /** What is wrong with the list as a whole, or null: nothing given, or too many ids. */
    public String problem() {
        if (ids.isEmpty() && refused.isEmpty()) {
            return "no distinct ids given: paste them one a line or upload a CSV file";
        }
        if (ids.size() > CreateRequest.MAX_IDS) {
            return ids.size() + " distinct ids given; at most " + CreateRequest.MAX_IDS + " fit in one request";
        }
        return refused.isEmpty() ? null : refused.size() + (refused.size() == 1 ? " line was" : " lines were")
                + " refused; nothing was filed";
    }

    /**
     * Reads the pasted text, then the CSV file's bytes (either may be null). The file is decoded a
     * line at a time, so a line that is not valid UTF-8 (a file saved as Latin-1) is refused by its
     * number, never filed with its bytes replaced.
     */
    public static IdList parse(String pasted, byte[] csv) {
        return parse(lines(pasted), lines(csv));
    }

    /** One line as given; {@code utf8} is false when its bytes were not UTF-8 and {@code text} is a lenient reading. */
    private record Line(String text, boolean utf8) {
    }

    private static IdList parse(List<Line> pasted, List<Line> csv) {
        Set<String> ids = new LinkedHashSet<>();
        List<Refusal> refused = new ArrayList<>();
        int[] repeats = {0};
        read("pasted list", pasted, false, ids, refused, repeats);
        read("CSV file", csv, true, ids, refused, repeats);
        return new IdList(List.copyOf(ids), List.copyOf(refused), repeats[0]);
    }

    private static List<Line> lines(String text) {
        return text == null ? null : Arrays.stream(text.split("\r\n|\n|\r", -1)).map(l -> new Line(l, true)).toList();
    }

    private static List<Line> lines(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        List<Line> out = new ArrayList<>();
        CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        int start = 0;
        for (int i = 0; i <= bytes.length; i++) {
            // why: CR and LF bytes never occur inside a multi-byte UTF-8 sequence, so the bytes split as the text would
            if (i == bytes.length || bytes[i] == '\n' || bytes[i] == '\r') {
                out.add(line(strict, bytes, start, i));
                if (i + 1 < bytes.length && bytes[i] == '\r' && bytes[i + 1] == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        return out;
    }

    private static Line line(CharsetDecoder strict, byte[] bytes, int from, int to) {
        try {
            return new Line(strict.decode(ByteBuffer.wrap(bytes, from, to - from)).toString(), true);
        } catch (CharacterCodingException e) {
            return new Line(new String(bytes, from, to - from, StandardCharsets.UTF_8), false);
        }
    }

    private static void read(String source, List<Line> lines, boolean csv, Set<String> ids, List<Refusal> refused, int[] repeats) {
        if (lines == null) {
            return;
        }
        boolean first = true;
        for (int i = 0; i < lines.size(); i++) {
            String raw = lines.get(i).text();
            if (i == 0 && raw.startsWith("\uFEFF")) {
                raw = raw.substring(1);
            }
            if (!lines.get(i).utf8()) {
                refused.add(new Refusal(source, i + 1, excerpt(raw), "not valid UTF-8 (save the file as UTF-8)"));
                first = false;
                continue;
            }
            if (raw.isBlank()) {
                continue;
            }
            String value;
            if (csv) {
                value = firstCell(raw);
                if (value == null) {
                    refused.add(new Refusal(source, i + 1, excerpt(raw), "an unterminated quoted cell"));
                    first = false;
                    continue;
                }
                if (first && isHeader(value)) {
                    first = false;
                    continue;
                }
            } else {
                value = raw.strip();
            }
            first = false;
            String reason = reason(value);
            if (reason != null) {
                refused.add(new Refusal(source, i + 1, excerpt(value), reason));
            } else if (!ids.add(value)) {
                repeats[0]++;
            }
        }
    }

    private static String reason(String id) {
        if (id.isEmpty()) {
            return "an empty id";
        }
        if (id.codePointCount(0, id.length()) > CreateRequest.MAX_ID_LENGTH) {
            return "longer than " + CreateRequest.MAX_ID_LENGTH + " characters";
        }
        for (int i = 0; i < id.length(); i++) {
            if (Character.isISOControl(id.charAt(i))) {
                return "contains a control character (a tab, NUL or similar)";
            }
        }
        return null;
    }

    private static boolean isHeader(String cell) {
        String c = cell.toLowerCase(Locale.ROOT);
        return c.equals("distinct_id") || c.equals("$distinct_id") || c.equals("distinct_ids") || c.equals("distinct id");
    }

    /** The first cell of a CSV line (RFC 4180 quoting), stripped of surrounding spaces; null if its quote never closes. */
    private static String firstCell(String line) {
        String s = line.stripLeading();
        if (!s.startsWith("\"")) {
            int comma = s.indexOf(',');
            return (comma < 0 ? s : s.substring(0, comma)).strip();
        }
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                if (i + 1 < s.length() && s.charAt(i + 1) == '"') {
                    out.append('"');
                    i++;
                } else {
                    return out.toString();
                }
            } else {
                out.append(c);
            }
        }
        return null;
    }

    private static String excerpt(String value) {
        String clean = value.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 40 ? clean.substring(0, 40) + "…" : clean;
    }
}
