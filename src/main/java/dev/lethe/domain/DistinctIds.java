package dev.lethe.domain;

/**
 * The one rule for an id that names a person, wherever it enters (ingestion, the GDPR API):
 * at most {@link #MAX_LENGTH} characters counted as code points, so an emoji counts once
 * everywhere; no NUL; no lone UTF-16 surrogate (a JSON {@code \ud800} escape), which no store
 * can keep as sent: SQLite and PostgreSQL would store {@code ?} and merge distinct ids into one.
 */
public final class DistinctIds {

    public static final int MAX_LENGTH = 255;

    private DistinctIds() {
    }

    /** What is wrong with {@code id}, phrased to follow its name ("distinct_id is ..."), or null. */
    public static String problem(String id) {
        if (id.indexOf('\u0000') >= 0) {
            return "contains a NUL character (\\u0000)";
        }
        if (hasLoneSurrogate(id)) {
            return "contains a lone UTF-16 surrogate (such as \\ud800), which is not a character";
        }
        if (id.codePointCount(0, id.length()) > MAX_LENGTH) {
            return "is longer than " + MAX_LENGTH + " characters";
        }
        return null;
    }

    /** True when a high surrogate is not followed by a low one, or a low one not preceded by a high one. */
    public static boolean hasLoneSurrogate(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return true;
                }
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }
}
