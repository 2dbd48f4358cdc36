package dev.lethe.gdpr;

import java.util.ArrayList;
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

    /** Reads the pasted text, then the CSV file's text (either may be null). */
    public static IdList parse(String pasted, String csv) {
        Set<String> ids = new LinkedHashSet<>();
        List<Refusal> refused = new ArrayList<>();
        int[] repeats = {0};
        read("pasted list", pasted, false, ids, refused, repeats);
        read("CSV file", csv, true, ids, refused, repeats);
        return new IdList(List.copyOf(ids), List.copyOf(refused), repeats[0]);
    }

    private static void read(String source, String text, boolean csv, Set<String> ids, List<Refusal> refused, int[] repeats) {
        if (text == null) {
            return;
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        String[] lines = text.split("\r\n|\n|\r", -1);
        boolean first = true;
        for (int i = 0; i < lines.length; i++) {
            String raw = lines[i];
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
