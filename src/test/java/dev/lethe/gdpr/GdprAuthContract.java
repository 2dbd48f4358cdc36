package dev.lethe.gdpr;

import dev.lethe.auth.Role;
import dev.lethe.project.Project;
import dev.lethe.project.Region;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;

import static dev.lethe.gdpr.GdprClient.DELETIONS;
import static dev.lethe.gdpr.GdprClient.ids;
import static org.assertj.core.api.Assertions.assertThat;

/** The 400/401/403 rows of the contract's status table, and who may call the API. */
abstract class GdprAuthContract extends GdprTestBase {

    @Test
    void no_credentials_is_401() {
        GdprClient.Response r = api.createDeletion(owner.withAuthorization(null), ids("a"));
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json().get("status").asText()).isEqualTo("error");
    }

    @Test
    void malformed_unknown_and_unsupported_credentials_are_401() {
        for (String header : new String[] {"Bearer not-a-token", "Bearer lgt_" + "a".repeat(40), "Token abc",
                "Basic !!!notbase64", Caller.basic("sa-nobody", "secret"), "Bearer"}) {
            assertThat(api.createDeletion(owner.withAuthorization(header), ids("a")).status()).as(header).isEqualTo(401);
        }
    }

    @Test
    void revoked_token_is_401() {
        server.app.tokens().revoke(owner.bearerToken());
        GdprClient.Response r = api.checkDeletion(owner, "a".repeat(24));
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.error()).contains("revoked");
    }

    @Test
    void expired_token_is_401() {
        server.clock.advance(Duration.ofDays(366));
        GdprClient.Response r = api.createDeletion(owner, ids("a"));
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.error()).contains("expired");
    }

    @Test
    void wrong_or_revoked_service_account_secret_is_401() {
        Caller robot = Caller.serviceAccount(server, owner.project(), Role.ADMIN);
        String username = robot.name();
        assertThat(api.createDeletion(robot.withAuthorization(Caller.basic(username, "wrong")), ids("a")).status())
                .isEqualTo(401);
        server.app.serviceAccounts().revoke(username);
        assertThat(api.createDeletion(robot, ids("a")).status()).isEqualTo(401);
    }

    @Test
    void missing_project_token_is_400() {
        GdprClient.Response r = api.createDeletion(owner.withProjectToken(null), ids("a"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.error()).contains("token");
    }

    @Test
    void bad_credentials_are_reported_before_a_missing_project_token() {
        assertThat(api.createDeletion(owner.withProjectToken(null).withAuthorization(null), ids("a")).status())
                .isEqualTo(401);
    }

    @Test
    void unknown_project_token_is_403_and_reads_like_a_project_without_access() {
        Project other = Caller.newProject(server, Region.US);
        GdprClient.Response unknown = api.createDeletion(owner.withProjectToken("nosuchprojecttoken"), ids("a"));
        GdprClient.Response noRole = api.createDeletion(owner.withProjectToken(other.token()), ids("a"));
        assertThat(unknown.status()).isEqualTo(403);
        assertThat(noRole.status()).isEqualTo(403);
        assertThat(unknown.body()).isEqualTo(noRole.body());
    }

    @ParameterizedTest
    @EnumSource(value = Role.class, names = {"ANALYST", "CONSUMER"})
    void analysts_and_consumers_are_refused(Role role) {
        assertThat(api.createDeletion(Caller.user(server, owner.project(), role), ids("a")).status()).isEqualTo(403);
        assertThat(api.checkDeletion(Caller.serviceAccount(server, owner.project(), role), "a".repeat(24)).status())
                .isEqualTo(403);
    }

    @ParameterizedTest
    @EnumSource(value = Role.class, names = {"OWNER", "ADMIN"})
    void owners_and_admins_by_token_or_service_account_are_recorded_as_requesting_user(Role role) {
        for (Caller c : new Caller[] {Caller.user(server, owner.project(), role),
                Caller.serviceAccount(server, owner.project(), role)}) {
            String id = createdDeletion(c, "someone-" + c.name());
            assertThat(api.checkDeletion(c, id).results().get("requesting_user").asText()).isEqualTo(c.name());
        }
    }

    @Test
    void project_of_another_region_is_403_naming_its_region() {
        Project eu = Caller.newProject(server, Region.EU);
        GdprClient.Response r = api.createDeletion(Caller.user(server, eu, Role.OWNER), ids("a"));
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.error()).contains("EU region").contains("eu.mixpanel.com");
    }

    @Test
    void the_openapi_document_is_served() {
        var r = server.get("/api/app/openapi.yaml");
        OpenApiSpec.assertDescribes("GET", "/api/app/openapi.yaml", r);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(OpenApiSpec.document()).contains(DELETIONS + "/{tracking_id}:");
    }
}
