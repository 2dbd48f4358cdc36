package dev.lethe.gdpr;

import dev.lethe.config.LetheConfig;
import dev.lethe.testing.StoreFixture;
import dev.lethe.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A running server on the store {@link #store()} names, a GDPR client and a project with its
 * owner: what every GDPR contract starts from. Tasks run on the app's own engine.
 */
abstract class LiveGdprTestBase {

    abstract StoreFixture store();

    @TempDir
    Path tmp;
    TestServer server;
    GdprClient api;
    Caller owner;

    /** Config changes a test class needs; rate limits are high by default so they do not interfere. */
    UnaryOperator<LetheConfig.Builder> config() {
        return b -> b;
    }

    @BeforeEach
    void startServer() {
        server = TestServer.start(store(), tmp, config());
        api = new GdprClient(server);
        owner = Caller.ownerOfNewProject(server);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    /** Sends one event to /track as the browser SDK does, with the owner's project token put in. */
    void trackJson(String event) {
        String withToken = event.replaceFirst("\"properties\":\\{", "\"properties\":{\"token\":\"" + owner.projectToken() + "\",");
        String data = Base64.getEncoder().encodeToString(withToken.getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = server.postForm("/track", "data=" + data);
        assertThat(r.body()).as(withToken).isEqualTo("1");
    }
}
