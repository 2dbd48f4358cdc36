package dev.lethe.ingest;

/**
 * How strictly an endpoint validates events. {@code /track} fills a missing time with the time
 * received; {@code /import} and {@code lethe load} need the time; {@code strict=1} also needs
 * the {@code $insert_id} and refuses times more than an hour ahead, as Mixpanel's strict mode does.
 */
public enum Validation {
    TRACK(false, false),
    IMPORT(true, false),
    STRICT(true, true);

    final boolean timeRequired;
    final boolean strict;

    Validation(boolean timeRequired, boolean strict) {
        this.timeRequired = timeRequired;
        this.strict = strict;
    }
}
