package dev.lethe.gdpr;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.event.EventRecord;
import dev.lethe.json.Json;
import dev.lethe.testing.Browser;
import dev.lethe.testing.StaticSite;
import net.lingala.zip4j.io.inputstream.ZipInputStream;
import net.lingala.zip4j.model.LocalFileHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The official browser SDK (mixpanel-browser 2.83.0, loaded by its snippet) in real headless Chromium, on
 * a page of another origin, pointed at Lethe with {@code api_host}: anonymous events, identify, a profile,
 * more events. A GDPR retrieval of the user then holds every one of them, the pre-login events included,
 * and a deletion of the user leaves none, whatever id the SDK filed them under.
 */
abstract class BrowserSdkContract extends LiveGdprTestBase {

    private static final String SDK = "/sdk/mixpanel-browser-2.83.0/";
    private static final Duration DELIVERY = Duration.ofSeconds(30);

    StaticSite site;
    Browser browser;

    /** Runs after {@link LiveGdprTestBase}'s start: the server is up. */
    @BeforeEach
    void startSiteAndBrowser() {
        site = StaticSite.start()
                .script("/mixpanel.min.js", SDK + "mixpanel.min.js")
                .script("/snippet.js", SDK + "mixpanel-jslib-snippet.min.js")
                .html("/shop.html", """
                        <!doctype html>
                        <html><head><title>Shop</title>
                        <script>var MIXPANEL_CUSTOM_LIB_URL = '/mixpanel.min.js';</script>
                        <script src="/snippet.js"></script>
                        </head><body><h1>Shop</h1></body></html>
                        """);
        browser = Browser.start(tmp);
    }

    /** Runs before {@link LiveGdprTestBase} stops the server. */
    @AfterEach
    void stopSiteAndBrowser() {
        if (browser != null) {
            browser.close();
        }
        site.close();
    }

    @Test
    void pre_login_events_profile_and_post_login_events_are_retrieved_and_then_deleted_with_the_user() throws IOException {
        long project = owner.project().id();
        browser.open(site.origin() + "/shop.html");
        String anonymous = (String) browser.runAsync("""
                var done = arguments[arguments.length - 1];
                mixpanel.init(arguments[0], {api_host: arguments[1], batch_flush_interval_ms: 100,
                    loaded: function (mp) { done(mp.get_distinct_id()); }});
                """, owner.projectToken(), server.baseUrl());
        assertThat(anonymous).as("the SDK's anonymous id").startsWith("$device:");
        String device = anonymous.substring("$device:".length());

        browser.run("mixpanel.track('Web Visit', {page: 'home'});");
        await("the pre-login event arrives", () -> names(project, anonymous).contains("Web Visit"));

        browser.run("""
                mixpanel.identify('webuser-1');
                mixpanel.people.set({plan: 'pro', $email: 'web@example.com'});
                mixpanel.track('Purchase', {price: 12});
                """);
        await("the identify, the profile and the post-login event arrive",
                () -> names(project, "webuser-1").containsAll(List.of("$identify", "Purchase"))
                        && server.app.profiles().get(project, "webuser-1").map(p -> p.has("$email")).orElse(false));
        track("someone-else", "Web Visit");

        String retrieval = createdAndDone(GdprClient.RETRIEVALS, "webuser-1");
        Map<String, String> files = unzip(download(api.checkRetrieval(owner, retrieval).results().get("results").asText()));
        List<String> retrieved = new ArrayList<>();
        files.get("events.jsonl").lines().forEach(l -> retrieved.add(Json.readTrusted(l).get("event").asText()));
        assertThat(retrieved).as("every event of the person, the anonymous one included")
                .contains("Web Visit", "Purchase").doesNotHaveDuplicates();
        assertThat(files.get("events.jsonl")).contains(anonymous).doesNotContain("someone-else");
        assertThat(files.get("profiles.jsonl")).contains("web@example.com");

        createdAndDone(GdprClient.DELETIONS, "webuser-1");
        Set<String> ids = Set.of("webuser-1", anonymous, device);
        assertThat(server.app.events().count(project, ids)).as("events left under %s", ids).isZero();
        assertThat(server.app.profiles().get(project, "webuser-1")).isEmpty();
        assertThat(server.app.events().count(project, Set.of("someone-else"))).isEqualTo(1);
    }

    private List<String> names(long project, String distinctId) {
        return server.app.events().list(project, List.of(distinctId)).stream().map(EventRecord::event).toList();
    }

    /** Waits for the SDK's asynchronous batches to land; fails with {@code what} if they never do. */
    private static void await(String what, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(DELIVERY);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private void track(String distinctId, String event) {
        String json = "{\"event\":\"" + event + "\",\"properties\":{\"token\":\"" + owner.projectToken()
                + "\",\"distinct_id\":\"" + distinctId + "\",\"$insert_id\":\"other-1\",\"time\":1795000000}}";
        HttpResponse<String> r = server.postForm("/track", "data="
                + java.util.Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8)));
        assertThat(r.body()).isEqualTo("1");
    }

    /** Creates a task over HTTP, runs the real engine until it is idle, and checks the status over HTTP. */
    private String createdAndDone(String path, String id) {
        GdprClient.Response created = api.call("POST", path, owner, GdprClient.ids(id));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String trackingId = created.trackingId();
        while (server.app.engine().runOnce()) {
            // each poll moves one task one step; the loop ends when nothing is left to do
        }
        JsonNode done = api.call("GET", path + "/" + trackingId, owner, null, "&verbose=1").results();
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("SUCCESS");
        return trackingId;
    }

    private static byte[] download(String link) throws IOException {
        try {
            HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(link)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(r.statusCode()).isEqualTo(200);
            return r.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static Map<String, String> unzip(byte[] zip) throws IOException {
        Map<String, String> out = new HashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            LocalFileHeader entry;
            while ((entry = in.getNextEntry()) != null) {
                out.put(entry.getFileName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
