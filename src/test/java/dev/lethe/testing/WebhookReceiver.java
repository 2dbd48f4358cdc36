package dev.lethe.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.lethe.json.Json;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A webhook receiver on a free local port (the JDK's HTTP server): answers with scripted status codes,
 * keeps every request, and verifies Standard Webhooks signatures with its own implementation of the
 * specification, written apart from the product's.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One request as received. */
    public record Request(String id, String timestamp, String signature, byte[] body) {
        public JsonNode json() {
            return Json.readTrusted(new String(body, StandardCharsets.UTF_8));
        }

        public String type() {
            return json().get("type").asText();
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private final Deque<Integer> script = new ArrayDeque<>();
    private final List<Request> received = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile int otherwise = 200;
    private volatile boolean stall;
    private volatile boolean endless;
    private volatile CountDownLatch together;
    private final AtomicBoolean overlapped = new AtomicBoolean();

    private WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    public static WebhookReceiver start() {
        try {
            return new WebhookReceiver();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/lethe";
    }

    /** The next answers, in order; after them, {@link #otherwise}. */
    public synchronized WebhookReceiver answer(int... statuses) {
        for (int s : statuses) {
            script.add(s);
        }
        return this;
    }

    public WebhookReceiver answerAlways(int status) {
        otherwise = status;
        return this;
    }

    /** Holds every request unanswered until {@link #close()}: a receiver that has stopped answering. */
    public WebhookReceiver stall() {
        stall = true;
        return this;
    }

    /** Answers 200 and then streams a body that never ends (until {@link #close()}). */
    public WebhookReceiver streamEndlessly() {
        endless = true;
        return this;
    }

    /** The first {@code n} requests wait (up to 10 s) until {@code n} are in flight at once. */
    public WebhookReceiver holdUntilConcurrent(int n) {
        together = new CountDownLatch(n);
        return this;
    }

    /** Whether {@link #holdUntilConcurrent} saw its requests in flight together. */
    public boolean overlapped() {
        return overlapped.get();
    }

    public synchronized List<Request> received() {
        return List.copyOf(received);
    }

    public List<String> types() {
        return received().stream().map(Request::type).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        int status;
        synchronized (this) {
            received.add(new Request(exchange.getRequestHeaders().getFirst("webhook-id"),
                    exchange.getRequestHeaders().getFirst("webhook-timestamp"),
                    exchange.getRequestHeaders().getFirst("webhook-signature"), body));
            Integer next = script.poll();
            status = next == null ? otherwise : next;
        }
        try {
            CountDownLatch t = together;
            if (t != null && t.getCount() > 0) {
                t.countDown();
                if (t.await(10, TimeUnit.SECONDS)) {
                    overlapped.set(true);
                }
            }
            if (stall) {
                release.await(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (endless) {
            exchange.sendResponseHeaders(status, 0);
            try {
                exchange.getResponseBody().write(new byte[8192]);
                exchange.getResponseBody().flush();
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException | IOException e) {
                // why: the sender hung up on the endless answer, which is what the test wants
            }
            exchange.close();
            return;
        }
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    /**
     * The specification's verification: the key is the base64 after {@code whsec_}; the signed content
     * is {@code id.timestamp.body}; the header holds space-separated {@code v1,<base64>} signatures, one
     * of which must match; the timestamp must be within five minutes of {@code nowSeconds}.
     */
    public static boolean verify(String secret, Request r, long nowSeconds) {
        if (r.id() == null || r.timestamp() == null || r.signature() == null || !secret.startsWith("whsec_")) {
            return false;
        }
        if (Math.abs(nowSeconds - Long.parseLong(r.timestamp())) > 300) {
            return false;
        }
        byte[] expected;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring(6)), "HmacSHA256"));
            byte[] prefix = (r.id() + "." + r.timestamp() + ".").getBytes(StandardCharsets.UTF_8);
            byte[] content = new byte[prefix.length + r.body().length];
            System.arraycopy(prefix, 0, content, 0, prefix.length);
            System.arraycopy(r.body(), 0, content, prefix.length, r.body().length);
            expected = mac.doFinal(content);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        for (String candidate : r.signature().split(" ")) {
            int comma = candidate.indexOf(',');
            if (comma > 0 && candidate.substring(0, comma).equals("v1")
                    && MessageDigest.isEqual(expected, Base64.getDecoder().decode(candidate.substring(comma + 1)))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        threads.shutdownNow();
    }
}
