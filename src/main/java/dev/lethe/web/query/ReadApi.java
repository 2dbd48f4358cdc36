package dev.lethe.web.query;

import dev.lethe.auth.ReadAuthenticator;
import dev.lethe.event.EventSchemaStore;
import dev.lethe.profile.ProfileProperties;
import dev.lethe.query.EventExport;
import dev.lethe.query.ProfileSearch;
import dev.lethe.ratelimit.ProjectConcurrency;
import dev.lethe.ratelimit.ProjectRateLimiter;
import dev.lethe.web.ingest.BodyReader;

/** The handlers of the read APIs, sharing one authenticator; export and queries have their own rate limits. */
public record ReadApi(ExportHandler export, EngageQueryHandler engage, SchemaHandlers schema, NoReportHandlers noReports) {

    /** The limits of one kind of read call: its rate (and hourly cap) and how many may run at once. */
    public record Limits(ProjectRateLimiter rate, ProjectConcurrency running) {
    }

    public static ReadApi create(ReadAuthenticator auth, Limits exportLimits, Limits queryLimits,
                                 EventExport export, ProfileSearch search, EventSchemaStore events, ProfileProperties profiles,
                                 long maxBodyBytes) {
        BodyReader bodies = new BodyReader(maxBodyBytes);
        ReadAccess exports = new ReadAccess(auth, exportLimits.rate(), exportLimits.running());
        ReadAccess queries = new ReadAccess(auth, queryLimits.rate(), queryLimits.running());
        return new ReadApi(new ExportHandler(exports, export), new EngageQueryHandler(queries, search, bodies),
                new SchemaHandlers(queries, events, profiles), new NoReportHandlers(queries, bodies));
    }
}
