package dev.lethe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.auth.Role;
import dev.lethe.auth.ServiceAccountStore;
import dev.lethe.auth.TokenStore;
import dev.lethe.cli.admin.AdminContext;
import dev.lethe.project.Project;
import dev.lethe.project.Region;
import dev.lethe.store.StoreConfig;
import dev.lethe.testing.StoreFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@code lethe admin ...} end to end: the JSON printed, then what the store holds. */
abstract class AdminCommandsContract {

    abstract StoreFixture store();

    @TempDir
    Path tmp;
    StoreConfig config;
    AdminCli cli;
    /** The same store as the commands', opened beside them to check what they wrote. */
    AdminContext stores;

    @BeforeEach
    void setUp() {
        config = store().newStore(tmp);
        cli = new AdminCli(config);
        stores = AdminContext.open(config, Clock.systemUTC());
    }

    @AfterEach
    void closeStore() {
        stores.close();
    }

    long createProject(String name) {
        return cli.ok("project", "create", "--name", name).get("project_id").asLong();
    }

    @Test
    void project_create_prints_credentials_that_find_the_project() {
        JsonNode p = cli.ok("project", "create", "--name", "Shop", "--region", "eu");

        assertThat(p.get("project_id").isIntegralNumber()).isTrue();
        assertThat(p.get("region").asText()).isEqualTo("EU");
        Project byToken = stores.projects().byToken(p.get("token").asText()).orElseThrow();
        assertThat(byToken.id()).isEqualTo(p.get("project_id").asLong());
        assertThat(byToken.name()).isEqualTo("Shop");
        assertThat(byToken.region()).isEqualTo(Region.EU);
        assertThat(stores.projects().byApiSecret(p.get("api_secret").asText())).contains(byToken);
    }

    @Test
    void project_list_shows_every_project_without_secrets() {
        JsonNode shop = cli.ok("project", "create", "--name", "Shop");
        cli.ok("project", "create", "--name", "Blog", "--region", "IN");

        JsonNode list = cli.ok("project", "list").get("projects");

        assertThat(list).hasSize(2);
        assertThat(list.get(0).get("name").asText()).isEqualTo("Shop");
        assertThat(list.get(0).get("token").asText()).isEqualTo(shop.get("token").asText());
        assertThat(list.get(0).get("project_id").asLong()).isEqualTo(shop.get("project_id").asLong());
        assertThat(list.get(1).get("region").asText()).isEqualTo("IN");
        assertThat(list.toString()).doesNotContain("api_secret").doesNotContain(shop.get("api_secret").asText());
    }

    @Test
    void grant_stores_the_role_and_a_second_grant_replaces_it() {
        long project = createProject("Shop");
        long userId = cli.ok("user", "create", "--email", "dpo@example.com").get("user_id").asLong();

        JsonNode granted = cli.ok("grant", "--email", "dpo@example.com", "--project", String.valueOf(project), "--role", "Admin");
        assertThat(granted.get("role").asText()).isEqualTo("admin");
        assertThat(granted.get("project_id").asLong()).isEqualTo(project);
        assertThat(stores.users().role(userId, project)).contains(Role.ADMIN);

        cli.ok("grant", "--email", "dpo@example.com", "--project", String.valueOf(project), "--role", "consumer");
        assertThat(stores.users().role(userId, project)).contains(Role.CONSUMER);
    }

    @Test
    void issued_token_authenticates_its_user_until_the_given_days() {
        long userId = cli.ok("user", "create", "--email", "dpo@example.com").get("user_id").asLong();

        JsonNode issued = cli.ok("token", "issue", "--email", "dpo@example.com", "--days", "30");

        String token = issued.get("token").asText();
        Instant expiresAt = Instant.parse(issued.get("expires_at").asText());
        assertThat(issued.get("expires_at").asText()).endsWith("Z");
        assertThat(expiresAt).isCloseTo(Instant.now().plus(Duration.ofDays(30)), within(Duration.ofMinutes(5)));
        TokenStore.TokenRecord found = stores.tokens().find(token).orElseThrow();
        assertThat(found.userId()).isEqualTo(userId);
        assertThat(found.expiresAt()).isEqualTo(expiresAt.toEpochMilli());
        assertThat(found.usableAt(System.currentTimeMillis())).isTrue();
    }

    @Test
    void revoking_one_token_leaves_the_others_usable() {
        cli.ok("user", "create", "--email", "dpo@example.com");
        String first = cli.ok("token", "issue", "--email", "dpo@example.com").get("token").asText();
        String second = cli.ok("token", "issue", "--email", "dpo@example.com").get("token").asText();

        assertThat(cli.ok("token", "revoke", "--token", first).get("revoked").asInt()).isEqualTo(1);
        assertThat(cli.ok("token", "revoke", "--token", first).get("revoked").asInt()).isZero();

        long now = System.currentTimeMillis();
        assertThat(stores.tokens().find(first).orElseThrow().usableAt(now)).isFalse();
        assertThat(stores.tokens().find(second).orElseThrow().usableAt(now)).isTrue();
    }

    @Test
    void revoking_by_email_revokes_every_live_token_of_the_user() {
        cli.ok("user", "create", "--email", "dpo@example.com");
        cli.ok("user", "create", "--email", "other@example.com");
        String a = cli.ok("token", "issue", "--email", "dpo@example.com").get("token").asText();
        String b = cli.ok("token", "issue", "--email", "dpo@example.com").get("token").asText();
        String other = cli.ok("token", "issue", "--email", "other@example.com").get("token").asText();

        assertThat(cli.ok("token", "revoke", "--email", "dpo@example.com").get("revoked").asInt()).isEqualTo(2);

        long now = System.currentTimeMillis();
        assertThat(stores.tokens().find(a).orElseThrow().usableAt(now)).isFalse();
        assertThat(stores.tokens().find(b).orElseThrow().usableAt(now)).isFalse();
        assertThat(stores.tokens().find(other).orElseThrow().usableAt(now)).isTrue();
    }

    @Test
    void service_account_authenticates_with_its_role_until_revoked() {
        long project = createProject("Shop");

        JsonNode sa = cli.ok("service-account", "create", "--name", "ci", "--project", String.valueOf(project), "--role", "owner");

        String username = sa.get("username").asText();
        assertThat(sa.get("project_id").asLong()).isEqualTo(project);
        assertThat(sa.get("role").asText()).isEqualTo("owner");
        ServiceAccountStore.Account account = stores.serviceAccounts().authenticate(username, sa.get("secret").asText())
                .orElseThrow();
        assertThat(stores.serviceAccounts().role(account.id(), project)).contains(Role.OWNER);
        assertThat(stores.serviceAccounts().authenticate(username, "wrong")).isEmpty();

        assertThat(cli.ok("service-account", "revoke", "--username", username).get("revoked").asInt()).isEqualTo(1);
        assertThat(stores.serviceAccounts().authenticate(username, sa.get("secret").asText())).isEmpty();
        assertThat(cli.ok("service-account", "revoke", "--username", username).get("revoked").asInt()).isZero();
    }
}
