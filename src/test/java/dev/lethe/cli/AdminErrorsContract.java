package dev.lethe.cli;

import dev.lethe.testing.StoreFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Every refusal of {@code lethe admin}: non-zero exit, a clear line on stderr, nothing on stdout, no trace. */
abstract class AdminErrorsContract {

    abstract StoreFixture store();

    @TempDir
    Path tmp;
    AdminCli cli;
    String project;

    @BeforeEach
    void setUp() {
        cli = new AdminCli(store().newStore(tmp));
        project = cli.ok("project", "create", "--name", "Shop").get("project_id").asText();
        cli.ok("user", "create", "--email", "dpo@example.com");
    }

    void assertFails(String expectedMessage, String... args) {
        AdminCli.Result r = cli.run(args);
        assertThat(r.exit()).as("exit code of %s", String.join(" ", args)).isNotZero();
        assertThat(r.out()).as("stdout").isEmpty();
        assertThat(r.err()).as("stderr").contains(expectedMessage).doesNotContain("\tat ").doesNotContain("Exception");
    }

    @Test
    void a_duplicate_or_malformed_user_is_refused() {
        assertFails("already exists", "user", "create", "--email", "dpo@example.com");
        assertFails("not an email address", "user", "create", "--email", "nobody");
    }

    @Test
    void an_unknown_email_is_named() {
        assertFails("no user with email ghost@example.com",
                "grant", "--email", "ghost@example.com", "--project", project, "--role", "owner");
        assertFails("no user with email ghost@example.com", "token", "issue", "--email", "ghost@example.com");
        assertFails("no user with email ghost@example.com", "token", "revoke", "--email", "ghost@example.com");
    }

    @Test
    void an_unknown_project_is_named_and_nothing_is_created() {
        assertFails("no project with id 999", "grant", "--email", "dpo@example.com", "--project", "999", "--role", "owner");
        assertFails("no project with id 999", "service-account", "create", "--name", "ci", "--project", "999", "--role", "admin");
        assertFails("Invalid value", "grant", "--email", "dpo@example.com", "--project", "shop", "--role", "owner");
    }

    @Test
    void a_bad_role_or_region_is_refused_before_anything_is_written() {
        assertFails("unknown role 'boss'", "grant", "--email", "dpo@example.com", "--project", project, "--role", "boss");
        assertFails("unknown role 'root'", "service-account", "create", "--name", "ci", "--project", project, "--role", "root");
        assertFails("unknown region 'MARS'", "project", "create", "--name", "Other", "--region", "MARS");

        assertThat(cli.ok("project", "list").get("projects")).hasSize(1);
    }

    @Test
    void token_lifetimes_outside_the_allowed_range_are_refused() {
        assertFails("--days must be between 1 and", "token", "issue", "--email", "dpo@example.com", "--days", "0");
        assertFails("--days must be between 1 and", "token", "issue", "--email", "dpo@example.com", "--days", "999999");
    }

    @Test
    void missing_or_conflicting_options_are_usage_errors() {
        assertFails("Missing required option: '--name", "project", "create");
        assertFails("mutually exclusive", "token", "revoke", "--token", "lgt_x", "--email", "dpo@example.com");
        assertFails("Missing required argument", "token", "revoke");
    }

    @Test
    void a_command_group_alone_asks_for_a_subcommand() {
        AdminCli.Result r = AdminCli.runRaw("admin", "token");
        assertThat(r.exit()).isNotZero();
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("Missing required subcommand");
    }

    @Test
    void an_unknown_store_is_refused() {
        AdminCli.Result r = AdminCli.runRaw("admin", "project", "list", "--data-dir", tmp.toString(), "--store", "mysql");
        assertThat(r.exit()).isNotZero();
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("unknown store 'mysql'").doesNotContain("\tat ");
    }
}
