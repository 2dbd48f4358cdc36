package dev.lethe.web.console;

import dev.lethe.testing.TestHttp;
import dev.lethe.testing.TestServer;

import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A plain HTTP client of the console that keeps its cookies, as a browser would, without running scripts. */
final class ConsoleClient {

    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final Pattern NONCE = Pattern.compile("name=\"nonce\" value=\"([^\"]+)\"");

    final TestServer server;
    final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final HttpClient http;

    ConsoleClient(TestServer server) {
        this.server = server;
        // why: HTTP/1.1 and a closed connection after each answer, as TestHttp's clients: a pooled connection is
        // something the test server's stop has to wait for, and one such stop once waited out its 15 s limit
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(server.uri(path)).GET());
    }

    HttpResponse<String> post(String path, Map<String, String> form) {
        return post(path, form, Map.of());
    }

    HttpResponse<String> post(String path, Map<String, String> form, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encode(form)));
        headers.forEach(b::header);
        return send(b);
    }

    /** A POST of these bytes as they are, for bodies no browser would send. */
    HttpResponse<String> post(String path, String contentType, byte[] body) {
        return send(HttpRequest.newBuilder(server.uri(path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    /** Signs in through the form as a browser does; returns the answer to the form's POST. */
    HttpResponse<String> signIn(String email, String password) {
        HttpResponse<String> form = get("/console/sign-in");
        Matcher m = NONCE.matcher(form.body());
        if (!m.find()) {
            throw new AssertionError("no sign-in form: " + form.body());
        }
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("nonce", m.group(1));
        fields.put("email", email);
        fields.put("password", password);
        return post("/console/sign-in", fields);
    }

    /** The CSRF token of the page at {@code path}. */
    String csrf(String path) {
        HttpResponse<String> page = get(path);
        Matcher m = CSRF.matcher(page.body());
        if (!m.find()) {
            throw new AssertionError("no CSRF field on " + path + " (" + page.statusCode() + ")");
        }
        return m.group(1);
    }

    String sessionCookie() {
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(ConsoleSecurity.SESSION_COOKIE))
                .map(HttpCookie::getValue).findFirst().orElse(null);
    }

    HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(TestHttp.closing(request).timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    URI uri(String path) {
        return server.uri(path);
    }

    static String encode(Map<String, String> form) {
        StringJoiner out = new StringJoiner("&");
        form.forEach((k, v) -> out.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return out.toString();
    }
}
