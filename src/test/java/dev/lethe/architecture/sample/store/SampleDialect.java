package dev.lethe.architecture.sample.store;

import java.sql.Connection;

/** The sample's dialect: the store itself may use it and raw connections. */
public final class SampleDialect {

    public static String lockFor(Connection c, long projectId) {
        return c == null ? "none" : "lock " + projectId;
    }
}
