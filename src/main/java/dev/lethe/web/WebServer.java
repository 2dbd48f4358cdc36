package dev.lethe.web;

import dev.lethe.domain.DomainException;
import dev.lethe.json.Json;
import io.javalin.Javalin;
import io.javalin.community.ssl.SslPlugin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.json.JavalinJackson;
import jakarta.servlet.DispatcherType;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;

/**
 * The HTTP server: Javalin on Jetty, with the error mapping every endpoint shares. Client
 * mistakes become 4xx with the contract's JSON error body; only Lethe's own failures are 5xx.
 */
public final class WebServer implements AutoCloseable {

    /** A PEM certificate chain and private key to serve HTTPS with. */
    public record Tls(Path certificate, Path privateKey) {
    }

    private final long maxBodyBytes;
    private final Routes routes;
    private final HttpLimits limits;
    private final Tls tls;
    private final RequestContext requests;
    private Javalin app;
    private int port;

    /**
     * @param limits what a slow client may cost the server
     * @param tls the certificate to serve HTTPS and HTTP/2 with; null for plain HTTP/1.1
     * @param requests names each request (X-Request-Id, the log context) and counts it in the metrics
     */
    public WebServer(long maxBodyBytes, HttpLimits limits, Routes routes, Tls tls, RequestContext requests) {
        this.maxBodyBytes = maxBodyBytes;
        this.routes = routes;
        this.limits = limits;
        this.tls = tls;
        this.requests = requests;
    }

    /** Starts listening; port 0 picks a free port. Returns the bound port. */
    public int start(String host, int port) {
        app = Javalin.create(cfg -> {
            if (tls != null) {
                cfg.registerPlugin(new SslPlugin(ssl -> {
                    ssl.pemFromPath(tls.certificate().toString(), tls.privateKey().toString());
                    ssl.insecure = false;
                    ssl.secure = true;
                    ssl.host = host;
                    ssl.securePort = port;
                    ssl.http2 = true;
                    // why: clients reach Lethe by whatever name the certificate carries; the SNI check
                    // would also refuse those that connect by IP address.
                    ssl.sniHostCheck = false;
                }));
            }
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
            cfg.jetty.modifyServletContextHandler(h -> {
                h.setMaxFormContentSize((int) Math.min(Integer.MAX_VALUE, maxBodyBytes));
                h.addFilter(new FilterHolder(new NoMethodOverride()), "/*", EnumSet.of(DispatcherType.REQUEST));
            });
            cfg.router.apiBuilder(routes::define);
            cfg.requestLogger.http(requests::end);
        });
        app.before(requests::begin);
        app.before(SecurityHeaders::apply);
        app.before(Cors::apply);
        app.before(ctx -> refuseHead(app, ctx));
        app.options("/*", Cors::preflight);
        ErrorMapper.register(app);
        if (tls == null) {
            app.start(host, port);
            this.port = app.port();
        } else {
            // why: with TLS the plugin's connector carries the address, so start() takes none.
            app.start();
            this.port = boundPort();
        }
        for (Connector c : app.jettyServer().server().getConnectors()) {
            if (c instanceof AbstractConnector ac) {
                // why: read only when the server stops, so setting it on the started connector is enough
                ac.setShutdownIdleTimeout(limits.shutdownIdleTimeout().toMillis());
            }
        }
        return this.port;
    }

    /**
     * Javalin answers a HEAD for a GET route 200 without running the route, so a HEAD of an export without credentials,
     * or of {@code /track} with a broken payload, looked accepted. Running the GET routes for it would export or store
     * for nothing; only the health check, which monitors ask with HEAD, answers it.
     */
    private static void refuseHead(Javalin app, Context ctx) {
        if ("HEAD".equals(ctx.req().getMethod()) && !"/healthz".equals(ctx.path())
                && app.unsafeConfig().pvt.internalRouter.hasHttpHandlerEntry(HandlerType.GET, ctx.path())) {
            List<String> allowed = ErrorMapper.otherMethods(app, ctx);
            ctx.header("Allow", String.join(", ", allowed));
            throw DomainException.stateConflict("HEAD is not served here: send " + String.join(" or ", allowed));
        }
    }

    private int boundPort() {
        for (Connector c : app.jettyServer().server().getConnectors()) {
            if (c instanceof ServerConnector sc) {
                return sc.getLocalPort();
            }
        }
        throw new IllegalStateException("the server has no connector");
    }

    public int port() {
        return port;
    }

    /** Stops accepting, lets in-flight requests finish (up to the stop timeout), then returns. */
    @Override
    public void close() {
        if (app == null) {
            return;
        }
        try {
            app.stop();
        } catch (io.javalin.util.JavalinException e) {
            if (!(e.getCause() instanceof java.util.concurrent.TimeoutException)) {
                throw e;
            }
            // why: Jetty has stopped by now, only not gracefully; the rest of the shutdown (workers, the store)
            // must still run, so a request that outlived the stop timeout is reported, not thrown.
            org.slf4j.LoggerFactory.getLogger(WebServer.class)
                    .warn("requests still in flight after the stop timeout were cut off: {}", e.getCause().toString());
        }
    }
}
