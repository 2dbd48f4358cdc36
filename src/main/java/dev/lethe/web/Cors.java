package dev.lethe.web;

import io.javalin.http.Context;

/**
 * The browser SDK sends credentialed cross-origin requests, which a wildcard origin does not
 * satisfy: the caller's Origin is echoed and credentials allowed, preflights included.
 */
final class Cors {

    private Cors() {
    }

    static void apply(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin == null || origin.isEmpty()) {
            ctx.header("Access-Control-Allow-Origin", "*");
            return;
        }
        ctx.header("Access-Control-Allow-Origin", origin);
        ctx.header("Access-Control-Allow-Credentials", "true");
        ctx.header("Vary", "Origin");
    }

    static void preflight(Context ctx) {
        apply(ctx);
        String requested = ctx.header("Access-Control-Request-Headers");
        ctx.header("Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS");
        ctx.header("Access-Control-Allow-Headers",
                requested == null || requested.isEmpty() ? "Content-Type, Authorization, Content-Encoding" : requested);
        ctx.header("Access-Control-Max-Age", "86400");
        ctx.status(204);
    }
}
