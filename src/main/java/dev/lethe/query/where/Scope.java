package dev.lethe.query.where;

/** What an expression filters: events (raw export) or profiles (engage), which decides the property forms it may use. */
public enum Scope {
    /** {@code properties["x"]} are the exported event's properties. */
    EVENTS,
    /** {@code properties["x"]} and {@code user["x"]} are the profile's properties. */
    PROFILES
}
