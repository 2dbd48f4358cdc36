package dev.lethe.auth;

import java.util.Locale;

/** A user's or service account's role on one project. */
public enum Role {
    OWNER, ADMIN, ANALYST, CONSUMER;

    public static Role parse(String value) {
        try {
            return Role.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown role '" + value + "' (use owner, admin, analyst or consumer)");
        }
    }

    /** Only owners and admins may use the GDPR API on a project. */
    public boolean mayUseGdpr() {
        return this == OWNER || this == ADMIN;
    }

    /** Analysts and above may read a project's data (export, profile query, schema); consumers may not. */
    public boolean mayReadData() {
        return this != CONSUMER;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
