package dev.lethe.http;

import dev.lethe.ingest.EngageHandler;
import dev.lethe.ingest.ImportHandler;
import dev.lethe.ingest.TrackHandler;

import static io.javalin.apibuilder.ApiBuilder.get;
import static io.javalin.apibuilder.ApiBuilder.post;

/** The route table: it reads like the API. Each handler lives in the package of its capability. */
public final class Routes {

    private final TrackHandler track;
    private final ImportHandler imports;
    private final EngageHandler engage;

    public Routes(TrackHandler track, ImportHandler imports, EngageHandler engage) {
        this.track = track;
        this.imports = imports;
        this.engage = engage;
    }

    void define() {
        get("/healthz", ctx -> ctx.json(java.util.Map.of("status", "ok")));

        get("/track", track::handle);
        post("/track", track::handle);
        get("/engage", engage::handle);
        post("/engage", engage::handle);
        get("/import", imports::handle);
        post("/import", imports::handle);
    }
}
