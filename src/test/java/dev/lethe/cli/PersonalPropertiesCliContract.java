package dev.lethe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.audit.AuditEntry;
import dev.lethe.audit.AuditLog;
import dev.lethe.cli.admin.AdminContext;
import dev.lethe.project.PersonalProperties;
import dev.lethe.store.StoreConfig;
import dev.lethe.testing.StoreFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code lethe admin project set-personal-properties}: stored per project, replaced, audited, refused when wrong. */
abstract class PersonalPropertiesCliContract {

    abstract StoreFixture store();

    @TempDir
    Path tmp;
    AdminCli cli;
    AdminContext stores;

    @BeforeEach
    void setUp() {
        StoreConfig config = store().newStore(tmp);
        cli = new AdminCli(config);
        stores = AdminContext.open(config, Clock.systemUTC());
    }

    @AfterEach
    void closeStore() {
        stores.close();
    }

    @Test
    void the_list_is_stored_for_the_project_replaced_by_the_next_call_and_audited() {
        long project = cli.ok("project", "create", "--name", "Shop").get("project_id").asLong();
        long other = cli.ok("project", "create", "--name", "Other").get("project_id").asLong();

        JsonNode out = cli.ok("project", "set-personal-properties", "--project", String.valueOf(project), "email", "company_phone",
                "email");
        assertThat(out.get("personal_properties")).extracting(JsonNode::asText).containsExactly("email", "company_phone");
        assertThat(out.get("effective")).extracting(JsonNode::asText).startsWith(PersonalProperties.DEFAULTS.toArray(String[]::new))
                .endsWith("email", "company_phone");
        assertThat(stores.projects().personalProperties(project)).containsExactly("email", "company_phone");
        assertThat(stores.projects().personalProperties(other)).isEmpty();

        cli.ok("project", "set-personal-properties", "--project", String.valueOf(project), "vat_id");
        assertThat(stores.projects().personalProperties(project)).containsExactly("vat_id");
        cli.ok("project", "set-personal-properties", "--project", String.valueOf(project));
        assertThat(stores.projects().personalProperties(project)).isEmpty();

        List<AuditEntry> lines = new AuditLog(stores.db(), stores.key(), stores.clock()).page(project, null, 10);
        assertThat(lines).hasSize(3).allSatisfy(l -> {
            assertThat(l.action()).isEqualTo("set-personal-properties");
            assertThat(l.actorKind()).isEqualTo("cli");
        });
        assertThat(lines.get(2).outcome()).contains("email, company_phone");
    }

    @Test
    void an_unknown_project_or_a_blank_name_fails_with_a_message_and_changes_nothing() {
        long project = cli.ok("project", "create", "--name", "Shop").get("project_id").asLong();
        AdminCli.Result unknown = cli.run("project", "set-personal-properties", "--project", "999999", "email");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("no project");
        AdminCli.Result blank = cli.run("project", "set-personal-properties", "--project", String.valueOf(project), " ");
        assertThat(blank.exit()).isEqualTo(1);
        assertThat(blank.err()).contains("blank");
        assertThat(blank.out()).isEmpty();
        assertThat(stores.projects().personalProperties(project)).isEmpty();
    }
}
