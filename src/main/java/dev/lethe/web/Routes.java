package dev.lethe.web;

import dev.lethe.web.console.ConsoleRoutes;
import dev.lethe.web.gdpr.GdprHandlers;
import dev.lethe.web.gdpr.OpenApiDocument;
import dev.lethe.web.ingest.ProfileUpdatesHandler;
import dev.lethe.web.ingest.ImportHandler;
import dev.lethe.web.ingest.TrackHandler;
import dev.lethe.web.DownloadHandler;
import dev.lethe.web.query.NoReportHandlers;
import dev.lethe.web.query.ReadApi;

import static dev.lethe.task.TaskKind.DELETION;
import static dev.lethe.task.TaskKind.RETRIEVAL;
import static io.javalin.apibuilder.ApiBuilder.delete;
import static io.javalin.apibuilder.ApiBuilder.get;
import static io.javalin.apibuilder.ApiBuilder.path;
import static io.javalin.apibuilder.ApiBuilder.post;

/** The route table: it reads like the API. Each handler lives in the package of its capability. */
public final class Routes {

    /** The handlers of the ingestion protocol (Mixpanel SDKs). */
    public record Ingestion(TrackHandler track, ImportHandler imports, ProfileUpdatesHandler<?> engage, ProfileUpdatesHandler<?> groups) {
    }

    private final Ingestion ingestion;
    private final GdprHandlers gdpr;
    private final OpenApiDocument openApi;
    private final DownloadHandler downloads;
    private final ReadApi reads;
    private final ConsoleRoutes console;
    private final MetricsHandler metrics;
    private final JwksHandler jwks;

    /**
     * @param reads   the read APIs (export, engage, schema)
     * @param console the privacy console's pages, or null to serve none
     * @param metrics {@code /metrics}
     * @param jwks    {@code /.well-known/jwks.json}, the keys that verify erasure certificates
     */
    public Routes(Ingestion ingestion, GdprHandlers gdpr, OpenApiDocument openApi, DownloadHandler downloads, ReadApi reads,
                  ConsoleRoutes console, MetricsHandler metrics, JwksHandler jwks) {
        this.jwks = jwks;
        this.ingestion = ingestion;
        this.gdpr = gdpr;
        this.openApi = openApi;
        this.downloads = downloads;
        this.reads = reads;
        this.console = console;
        this.metrics = metrics;
    }

    void define() {
        get("/healthz", ctx -> ctx.json(java.util.Map.of("status", "ok")));
        get("/metrics", metrics::serve);
        get("/.well-known/jwks.json", jwks::serve);

        get("/track", ingestion.track()::handle);
        post("/track", ingestion.track()::handle);
        get("/engage", ingestion.engage()::handle);
        post("/engage", ingestion.engage()::handle);
        get("/groups", ingestion.groups()::handle);
        post("/groups", ingestion.groups()::handle);
        get("/import", ingestion.imports()::handle);
        post("/import", ingestion.imports()::handle);

        path("/api/app", () -> {
            get("/openapi.yaml", openApi::serve);
            path("/data-deletions/v3.0", () -> {
                post(gdpr.create(DELETION));
                get(gdpr.list(DELETION));
                get("/{tracking_id}", gdpr.check(DELETION));
                delete("/{tracking_id}", gdpr.cancel(DELETION));
                delete("/{tracking_id}/suppression", gdpr.liftSuppression());
                get("/{tracking_id}/certificate", gdpr.certificate());
            });
            // why: older clients still speak v2.0; same tasks, v2.0's shapes (docs/gdpr-api.md)
            path("/data-deletions/v2.0", () -> {
                post(gdpr.createV2(DELETION));
                get("/{tracking_id}", gdpr.checkV2(DELETION));
                delete("/{tracking_id}", gdpr.cancel(DELETION));
            });
            path("/data-retrievals/v2.0", () -> {
                post(gdpr.createV2(RETRIEVAL));
                get("/{tracking_id}", gdpr.checkV2(RETRIEVAL));
                delete("/{tracking_id}", gdpr.cancel(RETRIEVAL));
            });
            path("/data-retrievals/v3.0", () -> {
                post(gdpr.create(RETRIEVAL));
                get(gdpr.list(RETRIEVAL));
                get("/{tracking_id}", gdpr.check(RETRIEVAL));
                delete("/{tracking_id}", gdpr.cancel(RETRIEVAL));
            });
        });
        get("/downloads/{file}", downloads::serve);
        defineReads();
        if (console != null) {
            console.define();
        }
    }

    /** The read APIs, under the paths Mixpanel uses on its several hosts (docs/query-api.md). */
    private void defineReads() {
        get("/api/2.0/export", reads.export()::handle);
        for (String base : new String[] {"/api/2.0", "/api/query"}) {
            path(base, () -> {
                get("/engage", reads.engage()::handle);
                post("/engage", reads.engage()::handle);
                get("/events/names", reads.schema()::eventNames);
                get("/events/properties/top", reads.schema()::topProperties);
                get("/engage/properties", reads.schema()::profileProperties);
                get("/cohorts/list", reads.noReports()::cohorts);
                post("/cohorts/list", reads.noReports()::cohorts);
                for (String report : NoReportHandlers.REPORTS) {
                    get("/" + report, reads.noReports()::report);
                    post("/" + report, reads.noReports()::report);
                }
            });
        }
        path("/api/app/projects/{projectId}", () -> {
            get("/schemas", reads.schema()::lexicon);
            get("/schemas/{entityType}", reads.schema()::lexicon);
            get("/schemas/{entityType}/{name}", reads.schema()::lexicon);
            post("/schemas", reads.schema()::lexiconWrite);
            delete("/schemas", reads.schema()::lexiconWrite);
            delete("/schemas/{entityType}", reads.schema()::lexiconWrite);
            post("/schemas/{entityType}/{name}", reads.schema()::lexiconWrite);
            delete("/schemas/{entityType}/{name}", reads.schema()::lexiconWrite);
            get("/annotations", reads.noReports()::annotations);
            get("/annotations/tags", reads.noReports()::annotationTags);
        });
    }
}
