package dev.lethe.web;

import io.javalin.http.Context;

/**
 * Headers every answer carries: {@code nosniff}, so no browser renders an error body or an
 * archive as HTML; and {@code no-store} on what holds personal data or task state (GDPR answers,
 * downloads), so no shared cache or browser history keeps a copy.
 */
final class SecurityHeaders {

    private SecurityHeaders() {
    }

    static void apply(Context ctx) {
        ctx.header("X-Content-Type-Options", "nosniff");
        String path = ctx.path();
        if (path.startsWith("/api/") || path.startsWith("/downloads")) {
            ctx.header("Cache-Control", "no-store");
        }
    }
}
