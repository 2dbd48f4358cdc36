package dev.lethe.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A web site of another origin than Lethe ({@code http://localhost:<port>}, while Lethe answers on
 * {@code 127.0.0.1}), serving pages and scripts the way a customer's site serves the SDK.
 */
public final class StaticSite implements AutoCloseable {

    private record Page(String contentType, byte[] body) {
    }

    private final HttpServer server;
    private final Map<String, Page> pages = new ConcurrentHashMap<>();

    private StaticSite(HttpServer server) {
        this.server = server;
    }

    public static StaticSite start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            StaticSite site = new StaticSite(server);
            server.createContext("/", site::serve);
            server.start();
            return site;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The site's origin: {@code localhost}, so it differs from Lethe's {@code 127.0.0.1} origin. */
    public String origin() {
        return "http://localhost:" + server.getAddress().getPort();
    }

    public StaticSite html(String path, String html) {
        pages.put(path, new Page("text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8)));
        return this;
    }

    /** Serves a file from the test class path at {@code path}. */
    public StaticSite script(String path, String classpathResource) {
        try (InputStream in = StaticSite.class.getResourceAsStream(classpathResource)) {
            if (in == null) {
                throw new IllegalArgumentException("no such resource: " + classpathResource);
            }
            pages.put(path, new Page("text/javascript; charset=utf-8", in.readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    private void serve(HttpExchange exchange) throws IOException {
        Page page = pages.get(exchange.getRequestURI().getPath());
        try (exchange) {
            if (page == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", page.contentType());
            exchange.sendResponseHeaders(200, page.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(page.body());
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
