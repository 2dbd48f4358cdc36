package dev.lethe.architecture.sample.feature;

import dev.lethe.architecture.sample.store.SampleDialect;

import java.sql.Connection;

/** Breaks the rule on purpose: domain code that takes a raw connection and asks the dialect for a lock. */
public final class RepositoryOnARawConnection {

    public static String lock(Connection c, long projectId) {
        return SampleDialect.lockFor(c, projectId);
    }
}
