package dev.lethe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.cli.admin.AdminContext;
import dev.lethe.event.EventRecord;
import dev.lethe.event.EventStore;
import dev.lethe.store.StoreConfig;
import dev.lethe.testing.EventBuilder;
import dev.lethe.testing.StoreFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code lethe admin keys rotate} on a store with people in it: it rotates the signing key and the KEK that wraps
 * the keystore's bucket keys, and afterwards the people's events still read back, through a store opened after the rotation and
 * through one that was open during it (a running server's).
 */
abstract class KeysRotateContract {

    abstract StoreFixture store();

    @TempDir
    Path tmp;
    StoreConfig config;
    AdminCli cli;
    /** A store open across the rotations, as a running server's is. */
    AdminContext running;
    long project;

    private static final List<String> PEOPLE = List.of("ann@example.com", "bo@example.com", "cy@example.com");

    @BeforeEach
    void setUp() {
        config = store().newStore(tmp);
        cli = new AdminCli(config);
        running = AdminContext.open(config, Clock.systemUTC());
        project = cli.ok("project", "create", "--name", "Shop").get("project_id").asLong();
        for (String person : PEOPLE) {
            track(running, person, "before");
        }
    }

    @AfterEach
    void closeStore() {
        running.close();
    }

    private void track(AdminContext admin, String person, String phase) {
        new EventStore(admin.db()).insert(project, List.of(EventBuilder.event(person).named("Paid").insertId(person + "-" + phase)
                .prop("plan", "pro-" + phase).build()));
    }

    private List<String> plans(AdminContext admin, String person) {
        return new EventStore(admin.db()).list(project, List.of(person)).stream().map(EventRecord::propertiesJson).toList();
    }

    @Test
    void rotate_rewraps_the_keystore_and_every_person_s_events_still_read_back() {
        JsonNode first = cli.ok("keys", "rotate");

        assertThat(first.get("current_kid").asText()).isNotEmpty();
        assertThat(first.get("published_kids")).hasSize(2);
        assertThat(first.get("keystore_kek").asInt()).isEqualTo(1);
        assertThat(first.get("rewrapped").asLong()).as("every bucket key, whatever the number of people").isEqualTo(4_096);
        assertThat(first.get("retired_keks").toString()).isEqualTo("[0]");
        assertThat(config.dataDir().resolve("keystore.keyring")).exists();

        track(running, PEOPLE.get(0), "after");
        try (AdminContext reopened = AdminContext.open(config, Clock.systemUTC())) {
            for (String person : PEOPLE) {
                assertThat(plans(reopened, person)).as("opened after the rotation").anyMatch(p -> p.contains("pro-before"));
                assertThat(plans(running, person)).as("open during the rotation").anyMatch(p -> p.contains("pro-before"));
            }
            assertThat(plans(reopened, PEOPLE.get(0))).as("a key made after, by the store open during it")
                    .anyMatch(p -> p.contains("pro-after"));
        }

        JsonNode second = cli.ok("keys", "rotate", "--only", "wrapping");

        assertThat(second.has("current_kid")).as("the signing key is left alone").isFalse();
        assertThat(second.get("keystore_kek").asInt()).isEqualTo(2);
        assertThat(second.get("rewrapped").asLong()).as("every bucket key again").isEqualTo(4_096);
        assertThat(second.get("retired_keks").toString()).isEqualTo("[1]");
        assertThat(plans(running, PEOPLE.get(0))).hasSize(2).anyMatch(p -> p.contains("pro-after"));
    }

    @Test
    void only_signing_leaves_the_keystore_and_a_directory_without_a_store_rotates_the_signing_key_alone() throws Exception {
        JsonNode signing = cli.ok("keys", "rotate", "--only", "signing");
        assertThat(signing.has("keystore_kek")).isFalse();
        assertThat(config.dataDir().resolve("keystore.keyring")).doesNotExist();

        Path empty = tmp.resolve("no-store");
        AdminCli.Result bare = AdminCli.runRaw("admin", "keys", "rotate", "--data-dir", empty.toString());
        JsonNode printed = bare.json();
        assertThat(printed.get("current_kid").asText()).isNotEmpty();
        assertThat(printed.get("keystore_skipped").asText()).contains("no store");
        assertThat(empty.resolve("lethe.db")).as("no store is made for it").doesNotExist();

        AdminCli.Result wrappingOnly = AdminCli.runRaw("admin", "keys", "rotate", "--only", "wrapping", "--data-dir", empty.toString());
        assertThat(wrappingOnly.exit()).isEqualTo(1);
        assertThat(wrappingOnly.err()).contains("no store in");
        assertThat(wrappingOnly.out()).isEmpty();

        AdminCli.Result bogus = cli.run("keys", "rotate", "--only", "everything");
        assertThat(bogus.exit()).isEqualTo(1);
        assertThat(bogus.err()).contains("--only takes signing or wrapping");
        assertThat(Files.exists(config.dataDir().resolve("keystore.keyring"))).isFalse();
    }
}
