package dev.lethe.web;

import io.javalin.http.Context;

/**
 * The browser SDK sends credentialed cross-origin requests to the ingestion paths, which a wildcard
 * origin does not satisfy: there the caller's Origin is echoed and credentials allowed. Nothing else
 * ever answers with credentials: the GDPR API and the read APIs take an explicit bearer token, so a
 * wildcard without credentials is enough for a page that holds one, and lets no page borrow a browser's
 * cached credentials. Download links are opened by people, not scripts: they get no CORS headers at all.
 */
final class Cors {

    private static final String[] CREDENTIALED = {"/track", "/engage", "/import", "/groups", "/decide"};

    private Cors() {
    }

    static void apply(Context ctx) {
        String path = ctx.path();
        if (path.startsWith("/downloads")) {
            return;
        }
        String origin = ctx.header("Origin");
        if (origin == null || origin.isEmpty() || !credentialed(path)) {
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

    /** {@code /track}, {@code /track/}, {@code /track/anything}, but not {@code /trackers}. */
    static boolean credentialed(String path) {
        for (String prefix : CREDENTIALED) {
            if (path.equals(prefix) || path.startsWith(prefix + "/")) {
                return true;
            }
        }
        return false;
    }
}
