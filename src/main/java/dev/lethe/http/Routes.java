package dev.lethe.http;

import dev.lethe.retrieval.DownloadHandler;

import static io.javalin.apibuilder.ApiBuilder.get;

/** The route table: it reads like the API. Each handler lives in the package of its capability. */
public final class Routes {

    private final DownloadHandler downloads;

    public Routes(DownloadHandler downloads) {
        this.downloads = downloads;
    }

    void define() {
        get("/healthz", ctx -> ctx.json(java.util.Map.of("status", "ok")));
        get("/downloads/{file}", downloads::serve);
    }
}
