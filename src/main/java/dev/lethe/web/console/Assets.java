package dev.lethe.web.console;

import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/** The console's stylesheet and script modules, served from the jar (nothing is fetched from elsewhere). */
final class Assets {

    private static final Map<String, String> TYPES = Map.of(
            "console.css", "text/css; charset=utf-8",
            "requests.js", "text/javascript; charset=utf-8",
            "request.js", "text/javascript; charset=utf-8");

    private Assets() {
    }

    static void serve(Context ctx) throws IOException {
        String name = ctx.pathParam("file");
        String type = TYPES.get(name);
        InputStream in = type == null ? null : Assets.class.getResourceAsStream("/console/" + name);
        if (in == null) {
            throw dev.lethe.domain.DomainException.notFound("no such console asset");
        }
        try (in) {
            ctx.header("X-Content-Type-Options", "nosniff");
            ctx.header("Cache-Control", "no-cache");
            ctx.contentType(type).result(in.readAllBytes());
        }
    }
}
