package dev.lethe.retrieval;

import java.util.Locale;

/** Which password opens an encrypted archive. */
public enum ArchivePassword {
    /** A random password made for this archive alone and shown once, in the first verbose check (the default). */
    PER_ARCHIVE,
    /** The project's {@code api_secret}, as Mixpanel's v2 API did; it also grants /import and opens every other archive. */
    API_SECRET;

    public static ArchivePassword parse(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT).replace('_', '-')) {
            case "per-archive" -> PER_ARCHIVE;
            case "api-secret" -> API_SECRET;
            default -> throw new IllegalArgumentException("archive password must be per-archive or api-secret, not " + value);
        };
    }
}
