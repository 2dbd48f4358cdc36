package dev.lethe.web.query;

import dev.lethe.auth.ReadAuthenticator;
import dev.lethe.event.EventSchemaStore;
import dev.lethe.profile.ProfileProperties;
import dev.lethe.query.EventExport;
import dev.lethe.query.ProfileSearch;
import dev.lethe.ratelimit.ProjectRateLimiter;

/** The handlers of the read APIs, sharing one authenticator; export and queries have their own rate limits. */
public record ReadApi(ExportHandler export, EngageQueryHandler engage, SchemaHandlers schema, NoReportHandlers noReports) {

    public static ReadApi create(ReadAuthenticator auth, ProjectRateLimiter exportLimit, ProjectRateLimiter queryLimit,
                                 EventExport export, ProfileSearch search, EventSchemaStore events, ProfileProperties profiles) {
        ReadAccess exports = new ReadAccess(auth, exportLimit);
        ReadAccess queries = new ReadAccess(auth, queryLimit);
        return new ReadApi(new ExportHandler(exports, export), new EngageQueryHandler(queries, search),
                new SchemaHandlers(queries, events, profiles), new NoReportHandlers(queries));
    }
}
