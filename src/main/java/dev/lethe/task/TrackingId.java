package dev.lethe.task;

import dev.lethe.crypto.Secrets;

import java.util.regex.Pattern;

/**
 * The id a client tracks a task by: 24 random lower-case letters and digits, so it is also
 * URL- and file-name-safe (retrieval archives are named after it). The one definition of the
 * format: the API treats anything else as a task that cannot exist, and the download route and
 * the archive files accept nothing else.
 */
public record TrackingId(String value) {

    private static final int LENGTH = 24;
    /** The format as a regular expression, for patterns that embed it (the download file name). */
    public static final String REGEX = "[a-z0-9]{" + LENGTH + "}";
    private static final Pattern FORMAT = Pattern.compile(REGEX);

    public TrackingId {
        if (!isValid(value)) {
            throw new IllegalArgumentException("not a tracking id");
        }
    }

    /** A new random tracking id. */
    public static TrackingId generate() {
        return new TrackingId(Secrets.random(LENGTH));
    }

    /** Whether {@code value} has the format of a tracking id. */
    public static boolean isValid(String value) {
        return value != null && FORMAT.matcher(value).matches();
    }

    @Override
    public String toString() {
        return value;
    }
}
