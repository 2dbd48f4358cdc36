package dev.lethe.store;

/** The backends Lethe can run on. */
public enum StoreKind {
    SQLITE, POSTGRES;

    public static StoreKind parse(String value) {
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "sqlite", "embedded" -> SQLITE;
            case "postgres", "postgresql" -> POSTGRES;
            default -> throw new IllegalArgumentException("unknown store '" + value + "' (use sqlite or postgres)");
        };
    }
}
