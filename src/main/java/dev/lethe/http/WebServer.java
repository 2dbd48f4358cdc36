package dev.lethe.http;

import dev.lethe.json.Json;
import dev.lethe.store.StoreException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: Javalin on Jetty, with the error mapping every endpoint shares. Client
 * mistakes become 4xx with the contract's JSON error body; only Lethe's own failures are 5xx.
 */
public final class WebServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WebServer.class);
    private static final String HANDLED = "lethe.error-rendered";

    private final Javalin app;

    public WebServer(long maxBodyBytes, Routes routes) {
        this.app = Javalin.create(cfg -> {
            cfg.showJavalinBanner = false;
            cfg.http.maxRequestSize = maxBodyBytes;
            cfg.router.ignoreTrailingSlashes = true;
            cfg.router.treatMultipleSlashesAsSingleSlash = true;
            cfg.jsonMapper(new JavalinJackson(Json.MAPPER, false));
            cfg.jetty.modifyServer(server -> {
                server.setStopTimeout(15_000);
                server.setErrorHandler(new JettyErrors());
            });
            cfg.jetty.modifyServletContextHandler(h -> h.setMaxFormContentSize((int) Math.min(Integer.MAX_VALUE, maxBodyBytes)));
            cfg.router.apiBuilder(routes::define);
        });
        app.before(Cors::apply);
        app.options("/*", Cors::preflight);
        app.exception(ApiException.class, (e, ctx) -> render(ctx, e));
        app.exception(HttpResponseException.class, (e, ctx) -> render(ctx, new ApiException(e.getStatus(), clientMessage(e))));
        app.exception(StoreException.class, (e, ctx) -> {
            // why: a lock held past the busy timeout (a rebuild of the embedded store) or an unreachable
            // database is not the client's fault, and the same request may well succeed later.
            log.warn("store unavailable on {} {}: {}", ctx.method(), ctx.matchedPath(), e.getMessage());
            render(ctx, ApiException.storeUnavailable("the store is busy or unavailable; retry later", null));
        });
        app.exception(Exception.class, (e, ctx) -> {
            log.error("internal error on {} {}", ctx.method(), ctx.matchedPath(), e);
            render(ctx, new ApiException(500, "internal error"));
        });
        app.error(404, ctx -> {
            if (ctx.attribute(HANDLED) == null) {
                render(ctx, new ApiException(404, "no such endpoint: " + ctx.method() + " " + ctx.path()));
            }
        });
        app.error(405, ctx -> {
            if (ctx.attribute(HANDLED) == null) {
                render(ctx, new ApiException(405, "method not allowed: " + ctx.method() + " " + ctx.path()));
            }
        });
    }

    private static String clientMessage(HttpResponseException e) {
        return switch (e.getStatus()) {
            case 413 -> "request body is larger than the configured limit";
            default -> e.getMessage() == null ? "bad request" : e.getMessage();
        };
    }

    static void render(Context ctx, ApiException e) {
        ctx.attribute(HANDLED, Boolean.TRUE);
        ctx.status(e.status());
        if (e.retryAfterSeconds() != null) {
            ctx.header("Retry-After", e.retryAfterSeconds());
        }
        ctx.contentType("application/json");
        ctx.result(Json.write(e.body()));
    }

    /** Starts listening; port 0 picks a free port. Returns the bound port. */
    public int start(String host, int port) {
        app.start(host, port);
        return app.port();
    }

    public int port() {
        return app.port();
    }

    /** Stops accepting, lets in-flight requests finish (up to the stop timeout), then returns. */
    @Override
    public void close() {
        app.stop();
    }
}
