package dev.lethe.http;

import static io.javalin.apibuilder.ApiBuilder.get;

/** The route table: it reads like the API. Each handler lives in the package of its capability. */
public final class Routes {

    public Routes() {
    }

    void define() {
        get("/healthz", ctx -> ctx.json(java.util.Map.of("status", "ok")));
    }
}
