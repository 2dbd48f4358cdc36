package dev.lethe.gdpr;

import dev.lethe.auth.GdprAuthenticator;
import dev.lethe.auth.Role;
import dev.lethe.crypto.Secrets;
import dev.lethe.auth.UserStore;
import dev.lethe.cli.admin.AdminContext;
import org.junit.jupiter.api.Test;

import java.sql.PreparedStatement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A caller admitted once is remembered for {@link GdprAuthenticator#CACHE_TTL}: a change made
 * in this process still takes effect on the very next request, one made by another process
 * within the TTL. Time moves by the test clock; nothing sleeps.
 */
abstract class GdprAuthCacheContract extends GdprTestBase {

    private static final String NO_TASK = "a".repeat(24);

    /** A status check that passes authentication answers 404 for a task that does not exist. */
    private int check(Caller c) {
        return api.checkDeletion(c, NO_TASK).status();
    }

    @Test
    void a_token_revoked_in_this_process_is_refused_on_the_next_request() {
        assertThat(check(owner)).isEqualTo(404);
        server.app.tokens().revoke(owner.bearerToken());
        GdprClient.Response r = api.checkDeletion(owner, NO_TASK);
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.error()).contains("revoked");
    }

    @Test
    void revoking_all_of_a_users_tokens_is_refused_on_the_next_request() {
        assertThat(check(owner)).isEqualTo(404);
        UserStore.User user = server.app.users().byEmail(owner.name()).orElseThrow();
        server.app.tokens().revokeAll(user.id());
        assertThat(check(owner)).isEqualTo(401);
    }

    @Test
    void a_weaker_role_granted_in_this_process_is_refused_on_the_next_request() {
        assertThat(check(owner)).isEqualTo(404);
        UserStore.User user = server.app.users().byEmail(owner.name()).orElseThrow();
        server.app.users().grant(user.id(), owner.project().id(), Role.ANALYST);
        assertThat(check(owner)).isEqualTo(403);
    }

    @Test
    void a_service_account_revoked_in_this_process_is_refused_on_the_next_request() {
        Caller robot = Caller.serviceAccount(server, owner.project(), Role.ADMIN);
        assertThat(check(robot)).isEqualTo(404);
        server.app.serviceAccounts().revoke(robot.name());
        assertThat(check(robot)).isEqualTo(401);
    }

    @Test
    void a_token_that_expires_sooner_than_the_cache_ttl_is_refused_once_expired() {
        UserStore.User user = server.app.users().byEmail(owner.name()).orElseThrow();
        String token = server.app.tokens().issue(user.id(), GdprAuthenticator.CACHE_TTL.dividedBy(4)).token();
        Caller shortLived = owner.withAuthorization("Bearer " + token);
        assertThat(check(shortLived)).isEqualTo(404);
        server.clock.advance(GdprAuthenticator.CACHE_TTL.dividedBy(4));
        GdprClient.Response r = api.checkDeletion(shortLived, NO_TASK);
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.error()).contains("expired");
    }

    @Test
    void a_token_revoked_by_another_process_is_refused_once_the_cache_ttl_has_passed() {
        assertThat(check(owner)).isEqualTo(404);
        byAnotherProcess("UPDATE gdpr_tokens SET revoked_at = 1 WHERE token_hash = ?", Secrets.sha256Hex(owner.bearerToken()));
        // why: this instance cannot hear of the other process's change; the TTL bounds how long it admits
        server.clock.advance(GdprAuthenticator.CACHE_TTL.minusMillis(1));
        assertThat(check(owner)).isEqualTo(404);
        server.clock.advance(Duration.ofMillis(1));
        assertThat(check(owner)).isEqualTo(401);
    }

    @Test
    void a_refusal_is_not_remembered() {
        Caller analyst = Caller.user(server, owner.project(), Role.ANALYST);
        assertThat(check(analyst)).isEqualTo(403);
        UserStore.User user = server.app.users().byEmail(analyst.name()).orElseThrow();
        byAnotherProcess("UPDATE memberships SET role = 'admin' WHERE user_id = ?", user.id());
        assertThat(check(analyst)).isEqualTo(404);
    }

    @Test
    void an_admin_command_run_in_this_process_takes_effect_on_the_next_request() {
        assertThat(check(owner)).isEqualTo(404);
        try (AdminContext admin = AdminContext.open(server.app.config().store(), server.clock)) {
            assertThat(admin.tokens().revoke(owner.bearerToken())).isTrue();
        }
        assertThat(check(owner)).isEqualTo(401);
    }

    /** A change straight in the store, as another instance or an admin command in its own process makes it. */
    private void byAnotherProcess(String sql, Object param) {
        server.app.db().inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setObject(1, param);
                assertThat(ps.executeUpdate()).isEqualTo(1);
                return null;
            }
        });
    }

    @Test
    void each_project_is_authorised_on_its_own() {
        Caller other = Caller.ownerOfNewProject(server);
        assertThat(check(owner)).isEqualTo(404);
        assertThat(check(owner.withProjectToken(other.projectToken()))).isEqualTo(403);
    }
}
