package dev.lethe.web;

import dev.lethe.json.Json;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP server: Javalin on Jetty, with the error mapping every endpoint shares. Client
 * mistakes become 4xx with the contract's JSON error body; only Lethe's own failures are 5xx.
 */
public final class WebServer implements AutoCloseable {

    private final Javalin app;

    public WebServer(long maxBodyBytes, HttpLimits limits, Routes routes) {
        this.app = Javalin.create(cfg -> {
            cfg.jetty.threadPool = new QueuedThreadPool(limits.maxThreads(), Math.min(8, limits.maxThreads()), 60_000);
            cfg.jetty.modifyHttpConfiguration(http -> {
                // why: the connection's idle timeout restarts with every byte, so alone it lets a client
                // hold a request thread forever by trickling; these bound the whole body and each read.
                http.setMinRequestDataRate(limits.minRequestDataRate());
                http.setIdleTimeout(limits.readTimeout().toMillis());
            });
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
        app.before(SecurityHeaders::apply);
        app.before(Cors::apply);
        app.options("/*", Cors::preflight);
        ErrorMapper.register(app);
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
