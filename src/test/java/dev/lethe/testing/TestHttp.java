package dev.lethe.testing;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;

/**
 * Requests that ask the server to close the connection once it has answered. A stopping Jetty
 * gives each idle kept-alive connection one second to close (its shutdown idle timeout), so a
 * test server whose client still pools a connection takes a second to close; with the
 * connection closed after every answer it stops at once.
 */
public final class TestHttp {

    /** The JDK client refuses a {@code Connection} header unless this property allows it. */
    static final String ALLOW_RESTRICTED = "jdk.httpclient.allowRestrictedHeaders";

    static {
        // why: surefire's argLine sets the property at JVM start; this covers a run from an IDE, as
        // long as no HTTP client of the JDK was used before this class was loaded.
        if (System.getProperty(ALLOW_RESTRICTED) == null) {
            System.setProperty(ALLOW_RESTRICTED, "connection");
        }
    }

    private TestHttp() {
    }

    /**
     * A client for {@link #closing} requests: loading this class first lets them name the header.
     * HTTP/1.1 only: the default first request offers an h2c upgrade in its own Connection header,
     * which Jetty refuses next to ours as a malformed request (Lethe speaks HTTP/1.1 either way).
     */
    public static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** {@code request} with {@code Connection: close}. */
    public static HttpRequest.Builder closing(HttpRequest.Builder request) {
        return request.header("Connection", "close");
    }
}
