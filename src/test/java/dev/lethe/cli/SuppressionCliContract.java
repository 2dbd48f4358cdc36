package dev.lethe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.task.NewTask;
import dev.lethe.task.TaskKind;
import dev.lethe.testing.StoreFixture;
import dev.lethe.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code lethe admin suppression lift} on the store of a running instance that ran a suppressing deletion. */
abstract class SuppressionCliContract {

    abstract StoreFixture store();

    private static final String PERSON = "cli-lift-person";

    @TempDir
    Path tmp;
    TestServer server;
    AdminCli cli;
    long project;

    @BeforeEach
    void start() {
        server = TestServer.start(store(), tmp);
        cli = new AdminCli(server.app.config().store());
        project = server.createProject("lifted").project().id();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void lift_accepts_the_ids_again_and_says_how_many() {
        String trackingId = finishedDeletion(true);
        assertThat(server.app.suppressions().suppressedAmong(project, List.of(PERSON))).containsExactly(PERSON);

        JsonNode out = cli.ok("suppression", "lift", "--project", Long.toString(project), "--tracking-id", trackingId);

        assertThat(out.get("ids_lifted").asInt()).isEqualTo(1);
        assertThat(out.get("already_lifted").asBoolean()).isFalse();
        assertThat(server.app.suppressions().suppressedAmong(project, List.of(PERSON))).isEmpty();
        assertThat(server.app.audit().page(project, null, 10)).anySatisfy(line -> {
            assertThat(line.action()).isEqualTo("lift-suppression");
            assertThat(line.actorKind()).isEqualTo("cli");
            assertThat(line.outcome()).isEqualTo("lifted 1 id(s)");
        });
        assertThat(cli.ok("suppression", "lift", "--project", Long.toString(project), "--tracking-id", trackingId)
                .get("already_lifted").asBoolean()).isTrue();
    }

    @Test
    void a_deletion_that_suppressed_nothing_is_a_one_line_error() {
        String trackingId = finishedDeletion(false);

        AdminCli.Result r = cli.run("suppression", "lift", "--project", Long.toString(project), "--tracking-id", trackingId);

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("suppressed nothing").doesNotContain("Exception");
    }

    @Test
    void a_tracking_id_of_another_project_is_not_found() {
        String trackingId = finishedDeletion(true);
        long other = server.createProject("other").project().id();

        AdminCli.Result r = cli.run("suppression", "lift", "--project", Long.toString(other), "--tracking-id", trackingId);

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("no such task");
        assertThat(server.app.suppressions().suppressedAmong(project, List.of(PERSON))).containsExactly(PERSON);
    }

    private String finishedDeletion(boolean suppress) {
        String trackingId = server.app.tasks().create(new NewTask(project, TaskKind.DELETION, "GDPR", null, suppress, "tester",
                List.of(PERSON))).task().trackingId();
        assertThat(server.app.engine().runOnce()).isTrue();
        assertThat(server.app.tasks().byTrackingId(trackingId).orElseThrow().status().name()).isEqualTo("SUCCESS");
        return trackingId;
    }
}
