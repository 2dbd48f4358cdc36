package dev.lethe.web.console;

import dev.lethe.audit.AuditEntry;
import dev.lethe.auth.Role;
import dev.lethe.auth.ServiceAccountStore;
import dev.lethe.auth.UserStore;
import dev.lethe.project.Project;
import dev.lethe.testing.EventBuilder;
import dev.lethe.testing.StoreFixture;
import dev.lethe.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The audit log of GDPR API calls: who (user or service account), from where, the outcome; no id in clear. */
abstract class AuditLogContract {

    abstract StoreFixture store();

    @TempDir
    Path tmp;
    TestServer server;
    Project project;

    @BeforeEach
    void start() {
        server = TestServer.start(store(), tmp);
        project = server.createProject("Shop").project();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void api_creations_and_cancels_are_logged_with_who_from_where_and_the_outcome() {
        UserStore.User owner = server.app.users().create("owner@example.com");
        server.app.users().grant(owner.id(), project.id(), Role.OWNER);
        String bearer = "Bearer " + server.app.tokens().issue(owner.id(), Duration.ofDays(1)).token();
        ServiceAccountStore.Created sa = server.app.serviceAccounts().create("robot", project.id(), Role.ADMIN);
        String basic = "Basic " + Base64.getEncoder().encodeToString((sa.username() + ":" + sa.secret()).getBytes(StandardCharsets.UTF_8));
        String deletions = "/api/app/data-deletions/v3.0?token=" + project.token();

        HttpResponse<String> created = post(deletions, bearer, "{\"distinct_ids\":[\"carol\"]}");
        assertThat(created.statusCode()).isEqualTo(201);
        String tracking = created.body().replaceAll(".*\"tracking_id\":\"([a-z0-9]+)\".*", "$1");
        assertThat(post("/api/app/data-retrievals/v3.0?token=" + project.token(), basic, "{\"distinct_ids\":[\"dave\"]}").statusCode())
                .isEqualTo(201);
        assertThat(server.send(HttpRequest.newBuilder(server.uri("/api/app/data-deletions/v3.0/" + tracking + "?token=" + project.token()))
                .header("Authorization", bearer).DELETE()).statusCode()).isEqualTo(204);

        List<AuditEntry> log = server.app.audit().page(project.id(), null, 10);
        assertThat(log).extracting(AuditEntry::action).containsExactly("cancel", "create", "create");
        AuditEntry cancel = log.get(0);
        assertThat(cancel.actor()).isEqualTo("owner@example.com");
        assertThat(cancel.actorKind()).isEqualTo("user");
        assertThat(cancel.channel()).isEqualTo("api");
        assertThat(cancel.ip()).isEqualTo("127.0.0.1");
        assertThat(cancel.outcome()).isEqualTo("revoked");
        assertThat(cancel.trackingId()).isEqualTo(tracking);
        AuditEntry retrieval = log.get(1);
        assertThat(retrieval.actor()).isEqualTo(sa.username());
        assertThat(retrieval.actorKind()).isEqualTo("service_account");
        assertThat(retrieval.taskKind()).isEqualTo("RETRIEVAL");
        assertThat(log.get(2).idHashes()).containsExactly(server.app.audit().idHash(project.id(), "carol"));
        assertThat(log.get(2).outcome()).isEqualTo("created");
    }

    @Test
    void a_refused_cancel_is_logged_and_after_a_deletion_the_log_holds_no_id_in_clear() {
        UserStore.User owner = server.app.users().create("owner@example.com");
        server.app.users().grant(owner.id(), project.id(), Role.OWNER);
        String bearer = "Bearer " + server.app.tokens().issue(owner.id(), Duration.ofDays(1)).token();
        server.app.events().insert(project.id(), List.of(EventBuilder.event("erin-7f3").build()));
        HttpResponse<String> created = post("/api/app/data-deletions/v3.0?token=" + project.token(), bearer,
                "{\"distinct_ids\":[\"erin-7f3\"]}");
        String tracking = created.body().replaceAll(".*\"tracking_id\":\"([a-z0-9]+)\".*", "$1");
        while (server.app.engine().runOnce()) {
            // run the deletion
        }
        assertThat(server.send(HttpRequest.newBuilder(server.uri("/api/app/data-deletions/v3.0/" + tracking + "?token=" + project.token()))
                .header("Authorization", bearer).DELETE()).statusCode()).isEqualTo(405);
        AuditEntry refused = server.app.audit().page(project.id(), null, 1).get(0);
        assertThat(refused.outcome()).startsWith("refused: ").contains("can no longer be cancelled");
        String everything = server.app.db().withConnection(c -> {
            StringBuilder all = new StringBuilder();
            try (var ps = c.prepareStatement("SELECT * FROM audit_log"); var rs = ps.executeQuery()) {
                while (rs.next()) {
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        all.append(rs.getString(i)).append('|');
                    }
                }
            }
            return all.toString();
        });
        assertThat(everything).contains(tracking).doesNotContain("erin-7f3");
    }

    @Test
    void a_creation_commits_with_its_audit_line_or_not_at_all() {
        UserStore.User owner = server.app.users().create("owner@example.com");
        server.app.users().grant(owner.id(), project.id(), Role.OWNER);
        String bearer = "Bearer " + server.app.tokens().issue(owner.id(), Duration.ofDays(1)).token();
        String deletions = "/api/app/data-deletions/v3.0?token=" + project.token();
        renameAuditLog("audit_log", "audit_log_away");

        HttpResponse<String> refused = post(deletions, bearer, "{\"distinct_ids\":[\"carol\"]}");

        renameAuditLog("audit_log_away", "audit_log");
        assertThat(refused.statusCode()).as("the store refused the line").isGreaterThanOrEqualTo(500);
        assertThat(server.app.tasks().countUnfinished(project.id())).as("no task without its line").isZero();
        HttpResponse<String> created = post(deletions, bearer, "{\"distinct_ids\":[\"carol\"]}");
        HttpResponse<String> repeated = post(deletions, bearer, "{\"distinct_ids\":[\"carol\"]}");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(repeated.body()).isEqualTo(created.body());
        assertThat(server.app.tasks().countUnfinished(project.id())).isEqualTo(1);
        assertThat(server.app.audit().page(project.id(), null, 10)).extracting(AuditEntry::outcome)
                .containsExactly("returned the identical unfinished task", "created");
    }

    private void renameAuditLog(String from, String to) {
        server.app.db().inTransaction(c -> {
            try (var s = c.createStatement()) {
                s.execute("ALTER TABLE " + from + " RENAME TO " + to);
            }
            return null;
        });
    }

    private HttpResponse<String> post(String path, String auth, String json) {
        return server.send(HttpRequest.newBuilder(server.uri(path)).header("Authorization", auth)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
    }
}
