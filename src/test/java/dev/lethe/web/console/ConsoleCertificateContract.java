package dev.lethe.web.console;

import com.nimbusds.jose.JWSObject;
import dev.lethe.auth.Role;
import dev.lethe.certificate.ErasureCertificates;
import dev.lethe.project.Project;
import dev.lethe.task.Engines;
import dev.lethe.task.NewTask;
import dev.lethe.task.TaskKind;
import dev.lethe.testing.StoreFixture;
import dev.lethe.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;

import static dev.lethe.web.console.ConsoleFixtures.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

/** The console links a finished deletion's erasure certificate, and the link hands out the signed certificate. */
abstract class ConsoleCertificateContract {

    abstract StoreFixture store();

    @TempDir
    Path tmp;
    TestServer server;
    Project project;
    ConsoleClient browser;

    @BeforeEach
    void start() {
        server = TestServer.start(store(), tmp);
        project = server.createProject("Shop").project();
        ConsoleFixtures.operator(server, project.id(), "dpo@example.com", Role.OWNER);
        browser = new ConsoleClient(server);
        assertThat(browser.signIn("dpo@example.com", PASSWORD).statusCode()).isEqualTo(303);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void a_finished_deletions_page_links_its_certificate_and_the_link_downloads_it() throws Exception {
        String id = deletion("ann");
        Engines.drain(server.app.engine());
        String page = "/console/p/" + project.id() + "/requests/deletion/" + id;
        HttpResponse<String> html = browser.get(page);
        assertThat(html.statusCode()).isEqualTo(200);
        assertThat(html.body()).contains("id=\"certificate\" href=\"" + page + "/certificate\"");

        HttpResponse<String> certificate = browser.get(page + "/certificate");
        assertThat(certificate.statusCode()).as(certificate.body()).isEqualTo(200);
        assertThat(certificate.headers().firstValue("Content-Type").orElse("")).startsWith("application/jose");
        assertThat(certificate.headers().firstValue("Content-Disposition").orElse("")).contains("attachment", id);
        assertThat(ErasureCertificates.verify(certificate.body(), server.app.signingKeys().publicKeys())
                .get("tracking_id").asText()).isEqualTo(id);
        assertThat(JWSObject.parse(certificate.body()).getPayload().toString()).doesNotContain("ann");
    }

    @Test
    void an_unfinished_deletion_has_no_link_and_its_certificate_is_refused() {
        String id = deletion("bob");
        String page = "/console/p/" + project.id() + "/requests/deletion/" + id;
        assertThat(browser.get(page).body()).doesNotContain("id=\"certificate\"");
        assertThat(browser.get(page + "/certificate").statusCode()).isEqualTo(409);
    }

    private String deletion(String distinctId) {
        return server.app.tasks().create(new NewTask(project.id(), TaskKind.DELETION, "GDPR", null, false,
                "dpo@example.com", List.of(distinctId))).task().trackingId();
    }
}
