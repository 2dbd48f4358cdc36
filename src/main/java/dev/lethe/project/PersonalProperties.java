package dev.lethe.project;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The event properties an anonymizing deletion drops (docs/erasure.md): Mixpanel's reserved properties
 * that name, reach or locate a person precisely, plus the names a project adds with
 * {@code lethe admin project set-personal-properties}. A project can add names, not remove defaults.
 */
public final class PersonalProperties {

    /**
     * Mixpanel's reserved profile properties that identify someone ({@code $email}, {@code $phone}, the
     * names, {@code $avatar}), the IP ({@code ip} as Mixpanel's ingestion reads it, {@code $ip} as Lethe's
     * {@code ip=1} stores it) and the precise location derived from it or sent by apps ({@code $city},
     * {@code $region}, {@code $latitude}, {@code $longitude}). Country and time zone stay: they are what
     * aggregate reports group by and, alone, name nobody.
     */
    public static final List<String> DEFAULTS = List.of("$email", "$phone", "$name", "$first_name", "$last_name", "$avatar",
            "$ip", "ip", "$city", "$region", "$latitude", "$longitude");

    /** The longest property name accepted, as ingestion limits names. */
    public static final int MAX_NAME_LENGTH = 255;
    /** A bound on a project's own list, so a typo in a script cannot make every rewrite slow. */
    public static final int MAX_NAMES = 1000;

    private PersonalProperties() {
    }

    /** The defaults and the project's own names, each once. */
    public static Set<String> effective(Collection<String> projectNames) {
        Set<String> all = new LinkedHashSet<>(DEFAULTS);
        all.addAll(projectNames);
        return Collections.unmodifiableSet(all);
    }

    /** Checks a project's list as the CLI received it; returns it without repeats, or throws naming the problem. */
    public static List<String> validated(Collection<String> names) {
        Set<String> out = new LinkedHashSet<>();
        for (String name : names) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a property name must not be blank");
            }
            if (name.length() > MAX_NAME_LENGTH) {
                throw new IllegalArgumentException("a property name is longer than " + MAX_NAME_LENGTH + " characters");
            }
            if (name.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("a property name must not contain U+0000");
            }
            out.add(name);
        }
        if (out.size() > MAX_NAMES) {
            throw new IllegalArgumentException("more than " + MAX_NAMES + " personal properties");
        }
        return List.copyOf(out);
    }
}
