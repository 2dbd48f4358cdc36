package dev.lethe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.task.NewTask;
import dev.lethe.task.TaskKind;
import dev.lethe.testing.StoreFixture;
import dev.lethe.testing.TestServer;
import dev.lethe.testing.WebhookReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code lethe admin webhook create | list | delete | deliveries} on the store of a running instance. */
abstract class WebhookCliContract {

    abstract StoreFixture store();

    @TempDir
    Path tmp;
    TestServer server;
    WebhookReceiver receiver;
    AdminCli cli;
    String project;

    @BeforeEach
    void start() {
        server = TestServer.start(store(), tmp);
        receiver = WebhookReceiver.start();
        cli = new AdminCli(server.app.config().store());
        project = Long.toString(server.createProject("hooked").project().id());
    }

    @AfterEach
    void stop() {
        receiver.close();
        server.close();
    }

    void assertFails(String expectedMessage, String... args) {
        AdminCli.Result r = cli.run(args);
        assertThat(r.exit()).as("exit code of %s", String.join(" ", args)).isEqualTo(1);
        assertThat(r.out()).as("stdout").isEmpty();
        assertThat(r.err()).as("stderr").contains(expectedMessage).doesNotContain("\tat ").doesNotContain("Exception");
    }

    @Test
    void create_shows_the_secret_once_and_list_never_does() {
        JsonNode created = cli.ok("webhook", "create", "--project", project, "--url", receiver.url(),
                "--events", "task.finished,task.cancelled");

        String secret = created.get("secret").asText();
        assertThat(secret).startsWith("whsec_");
        assertThat(created.get("webhook_id").asLong()).isPositive();
        assertThat(created.get("events").asText()).isEqualTo("task.finished,task.cancelled");
        JsonNode listed = cli.ok("webhook", "list", "--project", project);
        assertThat(listed.get("webhooks")).singleElement().satisfies(w -> {
            assertThat(w.get("webhook_id").asLong()).isEqualTo(created.get("webhook_id").asLong());
            assertThat(w.get("url").asText()).isEqualTo(receiver.url());
            assertThat(w.has("secret")).isFalse();
        });
        assertThat(listed.toString()).doesNotContain(secret);
        assertThat(server.app.audit().page(Long.parseLong(project), null, 10)).anySatisfy(line -> {
            assertThat(line.action()).isEqualTo("webhook-create");
            assertThat(line.actorKind()).isEqualTo("cli");
            assertThat(line.outcome()).isEqualTo("created webhook " + created.get("webhook_id").asLong());
        });
    }

    @Test
    void a_url_that_is_not_http_or_https_is_refused_and_audited() {
        assertFails("the webhook URL must start with http:// or https://",
                "webhook", "create", "--project", project, "--url", "ftp://files.example.com/hook");
        assertFails("the webhook URL must start with http:// or https://",
                "webhook", "create", "--project", project, "--url", "javascript:alert(1)");
        assertFails("unknown webhook event \"task.done\"",
                "webhook", "create", "--project", project, "--url", receiver.url(), "--events", "task.done");
        assertFails("no project with id 999", "webhook", "create", "--project", "999", "--url", receiver.url());

        assertThat(cli.ok("webhook", "list", "--project", project).get("webhooks")).isEmpty();
        assertThat(server.app.audit().page(Long.parseLong(project), null, 10))
                .filteredOn(line -> line.action().equals("webhook-create"))
                .hasSize(3).allSatisfy(line -> assertThat(line.outcome()).startsWith("refused: "));
    }

    @Test
    void delete_removes_it_and_a_second_delete_says_there_is_none() {
        String id = cli.ok("webhook", "create", "--project", project, "--url", receiver.url()).get("webhook_id").asText();
        String otherProject = Long.toString(server.createProject("other").project().id());

        assertFails("has no webhook " + id, "webhook", "delete", "--project", otherProject, "--webhook", id);
        assertThat(cli.ok("webhook", "delete", "--project", project, "--webhook", id).get("deleted").asInt()).isEqualTo(1);
        assertFails("has no webhook " + id, "webhook", "delete", "--project", project, "--webhook", id);
        assertThat(cli.ok("webhook", "list", "--project", project).get("webhooks")).isEmpty();
        assertThat(server.app.audit().page(Long.parseLong(project), null, 10))
                .extracting(line -> line.action() + " " + line.outcome())
                .contains("webhook-delete deleted webhook " + id, "webhook-delete refused: no webhook " + id);
    }

    @Test
    void deliveries_show_each_attempt_the_next_retry_and_the_outcome() {
        String id = cli.ok("webhook", "create", "--project", project, "--url", receiver.url(), "--events", "task.created")
                .get("webhook_id").asText();
        receiver.answer(500);
        String trackingId = server.app.tasks().create(new NewTask(Long.parseLong(project), TaskKind.DELETION, "GDPR", null,
                false, "dpo@example.com", List.of("cli-webhook-person"))).task().trackingId();
        server.app.webhookSender().runOnce();

        JsonNode pending = cli.ok("webhook", "deliveries", "--project", project).get("deliveries");
        assertThat(pending).singleElement().satisfies(d -> {
            assertThat(d.get("webhook_id").asText()).isEqualTo(id);
            assertThat(d.get("event").asText()).isEqualTo("task.created");
            assertThat(d.get("tracking_id").asText()).isEqualTo(trackingId);
            assertThat(d.get("outcome").asText()).isEqualTo("pending");
            assertThat(d.get("next_attempt_at").isTextual()).isTrue();
            assertThat(d.get("attempt_log")).singleElement()
                    .satisfies(a -> assertThat(a.get("status_code").asInt()).isEqualTo(500));
        });

        server.clock.advance(Duration.ofHours(2));
        server.app.webhookSender().runOnce();

        JsonNode done = cli.ok("webhook", "deliveries", "--project", project, "--webhook", id).get("deliveries");
        assertThat(done).singleElement().satisfies(d -> {
            assertThat(d.get("outcome").asText()).isEqualTo("delivered");
            assertThat(d.get("next_attempt_at").isNull()).isTrue();
            assertThat(d.get("attempts").asInt()).isEqualTo(2);
            assertThat(d.get("attempt_log")).extracting(a -> a.get("status_code").asInt()).containsExactly(500, 200);
        });
        assertThat(done.toString()).doesNotContain("cli-webhook-person");
        assertFails("has no webhook 999", "webhook", "deliveries", "--project", project, "--webhook", "999");
    }
}
