package dev.lethe.task;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a deletion does to the person's events: {@code delete} them (Mixpanel's meaning, the default), or
 * {@code anonymize} them (keep them under a random pseudonym, without the person's ids and personal
 * properties; docs/erasure.md). The profile, the identity links and the archives go either way.
 */
public enum DeletionMode {
    DELETE, ANONYMIZE;

    /** The names a client sends, in the order the API lists them. */
    public static final String ALLOWED = Arrays.stream(values()).map(DeletionMode::wireName).collect(Collectors.joining(", "));

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mode with this name in any letter case, or empty when there is none. */
    public static Optional<DeletionMode> parse(String name) {
        for (DeletionMode m : values()) {
            if (m.name().equalsIgnoreCase(name.trim())) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** How the column stores it: NULL for a plain deletion, so every task written before the column reads as one. */
    static String column(DeletionMode mode) {
        return mode == ANONYMIZE ? ANONYMIZE.name() : null;
    }

    static DeletionMode fromColumn(String value) {
        return ANONYMIZE.name().equals(value) ? ANONYMIZE : DELETE;
    }
}
