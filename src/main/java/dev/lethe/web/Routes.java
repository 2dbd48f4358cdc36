package dev.lethe.web;

import dev.lethe.web.console.ConsoleRoutes;
import dev.lethe.web.gdpr.GdprHandlers;
import dev.lethe.web.gdpr.OpenApiDocument;
import dev.lethe.web.ingest.EngageHandler;
import dev.lethe.web.ingest.ImportHandler;
import dev.lethe.web.ingest.TrackHandler;
import dev.lethe.web.DownloadHandler;

import static dev.lethe.task.TaskKind.DELETION;
import static dev.lethe.task.TaskKind.RETRIEVAL;
import static io.javalin.apibuilder.ApiBuilder.delete;
import static io.javalin.apibuilder.ApiBuilder.get;
import static io.javalin.apibuilder.ApiBuilder.path;
import static io.javalin.apibuilder.ApiBuilder.post;

/** The route table: it reads like the API. Each handler lives in the package of its capability. */
public final class Routes {

    /** The handlers of the ingestion protocol (Mixpanel SDKs). */
    public record Ingestion(TrackHandler track, ImportHandler imports, EngageHandler engage) {
    }

    private final Ingestion ingestion;
    private final GdprHandlers gdpr;
    private final OpenApiDocument openApi;
    private final DownloadHandler downloads;
    private final ConsoleRoutes console;

    public Routes(Ingestion ingestion, GdprHandlers gdpr, OpenApiDocument openApi, DownloadHandler downloads) {
        this(ingestion, gdpr, openApi, downloads, null);
    }

    /** @param console the privacy console's pages, or null to serve none */
    public Routes(Ingestion ingestion, GdprHandlers gdpr, OpenApiDocument openApi, DownloadHandler downloads,
                  ConsoleRoutes console) {
        this.ingestion = ingestion;
        this.gdpr = gdpr;
        this.openApi = openApi;
        this.downloads = downloads;
        this.console = console;
    }

    void define() {
        get("/healthz", ctx -> ctx.json(java.util.Map.of("status", "ok")));

        get("/track", ingestion.track()::handle);
        post("/track", ingestion.track()::handle);
        get("/engage", ingestion.engage()::handle);
        post("/engage", ingestion.engage()::handle);
        get("/import", ingestion.imports()::handle);
        post("/import", ingestion.imports()::handle);

        path("/api/app", () -> {
            get("/openapi.yaml", openApi::serve);
            path("/data-deletions/v3.0", () -> {
                post(gdpr.create(DELETION));
                get(gdpr.list(DELETION));
                get("/{tracking_id}", gdpr.check(DELETION));
                delete("/{tracking_id}", gdpr.cancel(DELETION));
            });
            path("/data-retrievals/v3.0", () -> {
                post(gdpr.create(RETRIEVAL));
                get(gdpr.list(RETRIEVAL));
                get("/{tracking_id}", gdpr.check(RETRIEVAL));
                delete("/{tracking_id}", gdpr.cancel(RETRIEVAL));
            });
        });
        get("/downloads/{file}", downloads::serve);
        if (console != null) {
            console.define();
        }
    }
}
