package dev.lethe.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * The benchmark's HTTP transport: the JDK's blocking {@link HttpURLConnection}, connections kept alive between
 * requests, no proxy lookup. Every client of the bench runs in the server's JVM on the same cores, so what a request
 * costs the client is counted against the server's figures. With {@code java.net.http}'s asynchronous client, compiling
 * the client's own code took ~3 of the ~6 CPU-seconds the JIT compiler spent during (b)'s deletions (JFR
 * {@code jdk.Compilation}, SQLite, defaults): cores the deletions waited for, which a real client on its own machine
 * does not take from the server.
 */
final class PlainHttp {

    private static final int CONNECT_TIMEOUT_MS = 10_000;
    private static final int READ_TIMEOUT_MS = 10 * 60_000;

    private PlainHttp() {
    }

    /** An answer read to its end: status, {@code Retry-After} if any, and the body. */
    record Answer(int status, Optional<String> retryAfter, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Reads an answer's body as it streams in; gets the status so it can refuse an error. */
    @FunctionalInterface
    interface BodyReader<T> {
        T read(int status, InputStream body) throws IOException;
    }

    /** Sends one request ({@code body} null for none) and reads the whole answer. */
    static Answer send(String method, String url, Map<String, String> headers, byte[] body) {
        HttpURLConnection c = open(method, url, headers, body);
        try {
            int status = c.getResponseCode();
            byte[] bytes;
            try (InputStream in = bodyOf(c, status)) {
                bytes = in == null ? new byte[0] : in.readAllBytes();
            }
            return new Answer(status, Optional.ofNullable(c.getHeaderField("Retry-After")), bytes);
        } catch (IOException e) {
            c.disconnect();
            throw new UncheckedIOException(method + " " + url + " failed", e);
        }
    }

    /** Sends one request and hands the answer's body to {@code reader} as it streams in. */
    static <T> T stream(String method, String url, Map<String, String> headers, byte[] body, BodyReader<T> reader) {
        HttpURLConnection c = open(method, url, headers, body);
        try {
            int status = c.getResponseCode();
            try (InputStream in = bodyOf(c, status)) {
                return reader.read(status, in == null ? InputStream.nullInputStream() : in);
            }
        } catch (IOException e) {
            c.disconnect();
            throw new UncheckedIOException(method + " " + url + " failed", e);
        }
    }

    private static HttpURLConnection open(String method, String url, Map<String, String> headers, byte[] body) {
        try {
            HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection(Proxy.NO_PROXY);
            c.setConnectTimeout(CONNECT_TIMEOUT_MS);
            c.setReadTimeout(READ_TIMEOUT_MS);
            c.setInstanceFollowRedirects(false);
            c.setRequestMethod(method);
            c.setRequestProperty("Accept", "*/*");
            headers.forEach(c::setRequestProperty);
            if (body != null) {
                c.setDoOutput(true);
                c.setFixedLengthStreamingMode(body.length);
                try (OutputStream out = c.getOutputStream()) {
                    out.write(body);
                }
            }
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + url + " failed", e);
        }
    }

    /** The body of an answer: an error's comes from its own stream (null when it has none). */
    private static InputStream bodyOf(HttpURLConnection c, int status) throws IOException {
        return status >= 400 ? c.getErrorStream() : c.getInputStream();
    }
}
