package dev.lethe.web;

import dev.lethe.config.LetheConfig;
import dev.lethe.testing.SelfSignedCertificate;
import dev.lethe.testing.StoreFixture;
import dev.lethe.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLHandshakeException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code serve --tls-cert --tls-key}: HTTPS with HTTP/2 and HTTP/1.1 from PEM files, and download links that say https. */
class TlsTest {

    @TempDir
    Path tmp;

    @Test
    void serves_http2_and_http1_over_tls_with_the_given_certificate() throws Exception {
        SelfSignedCertificate cert = SelfSignedCertificate.create(tmp);
        try (TestServer server = TestServer.start(StoreFixture.sqlite(), tmp,
                b -> b.tls(new LetheConfig.Tls(cert.certificate(), cert.privateKey())))) {
            URI health = URI.create("https://localhost:" + server.app.port() + "/healthz");
            for (HttpClient.Version version : HttpClient.Version.values()) {
                HttpClient client = HttpClient.newBuilder().version(version).sslContext(cert.clientContext()).build();
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(health).GET().build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).isEqualTo("{\"status\":\"ok\"}");
                assertThat(r.version()).isEqualTo(version);
            }
            assertThat(server.app.baseUrl()).startsWith("https://localhost:");

            HttpClient untrusting = HttpClient.newHttpClient();
            assertThatThrownBy(() -> untrusting.send(HttpRequest.newBuilder(health).GET().build(), HttpResponse.BodyHandlers.ofString()))
                    .as("a client that does not trust the certificate").isInstanceOf(SSLHandshakeException.class);
        }
    }
}
