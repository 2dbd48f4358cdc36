package dev.lethe.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.auth.Role;
import dev.lethe.event.EventRecord;
import dev.lethe.json.Json;
import dev.lethe.project.Project;
import dev.lethe.testing.StoreFixture;
import dev.lethe.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code serve --demo}'s seeding, on a running instance. */
abstract class DemoSeederContract {

    abstract StoreFixture store();

    @TempDir
    Path tmp;
    TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start(store(), tmp);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static Set<String> allDemoIds() {
        Set<String> ids = new TreeSet<>();
        for (DemoPerson p : DemoPerson.ALL) {
            ids.add(p.userId());
            ids.addAll(p.aliases());
            if (p.deviceId() != null) {
                ids.add(p.deviceId());
            }
        }
        return ids;
    }

    @Test
    void a_second_start_finds_the_project_adds_no_data_and_issues_a_new_token() {
        DemoSeeder.Setup first = new DemoSeeder(server.app).seed();
        long events = server.app.events().count(first.project().id(), allDemoIds());
        server.clock.advance(Duration.ofDays(3));

        DemoSeeder.Setup second = new DemoSeeder(server.app).seed();

        assertThat(first.createdNow()).isTrue();
        assertThat(server.app.projects().byApiSecret(first.apiSecret())).contains(first.project());
        assertThat(second.createdNow()).isFalse();
        assertThat(second.project()).isEqualTo(first.project());
        assertThat(server.app.projects().list()).extracting(Project::name).containsExactly(DemoSeeder.PROJECT_NAME);
        assertThat(events).isEqualTo((long) DemoPerson.ALL.size() * DemoEvents.EVENTS_PER_PERSON);
        assertThat(server.app.events().count(first.project().id(), allDemoIds())).isEqualTo(events);

        assertThat(second.token().token()).isNotEqualTo(first.token().token());
        long now = server.clock.millis();
        for (DemoSeeder.Setup s : List.of(first, second)) {
            long userId = server.app.tokens().find(s.token().token()).orElseThrow().userId();
            assertThat(server.app.tokens().find(s.token().token()).orElseThrow().usableAt(now)).isTrue();
            assertThat(server.app.users().byId(userId).orElseThrow().email()).isEqualTo(DemoSeeder.OWNER_EMAIL);
            assertThat(server.app.users().role(userId, first.project().id())).contains(Role.OWNER);
        }
        assertThat(second.token().expiresAt().toEpochMilli())
                .isEqualTo(server.clock.millis() + DemoSeeder.TOKEN_VALIDITY.toMillis());
    }

    @Test
    void alias_and_device_ids_resolve_to_one_person() {
        long project = new DemoSeeder(server.app).seed().project().id();

        assertThat(server.app.resolver().resolve(project, List.of("alice@example.com")))
                .containsExactlyInAnyOrder("alice@example.com", "alice-0f3a", "dev-7c1e9a4b");
        assertThat(server.app.resolver().resolve(project, List.of("dev-a4f0d2c8")))
                .containsExactlyInAnyOrder("dev-a4f0d2c8", "bruno-5b2d");
        assertThat(server.app.resolver().resolve(project, List.of("dmitri-3e77"))).containsExactly("dmitri-3e77");
        // why: the anonymous and alias events are what make resolution matter for the demo.
        assertThat(server.app.events().count(project, List.of("dev-7c1e9a4b"))).isPositive();
        assertThat(server.app.events().count(project, List.of("alice@example.com"))).isPositive();
    }

    @Test
    void events_carry_sdk_fields_and_straddle_the_ccpa_twelve_month_window() {
        long project = new DemoSeeder(server.app).seed().project().id();
        List<EventRecord> events = server.app.events().list(project, allDemoIds());
        long yearAgo = server.clock.instant().minus(Duration.ofDays(365)).toEpochMilli();

        assertThat(events).anyMatch(e -> e.timeMs() < yearAgo).anyMatch(e -> e.timeMs() >= yearAgo);
        assertThat(events).allMatch(e -> e.timeMs() <= server.clock.millis());
        assertThat(events).extracting(EventRecord::source).contains("track", "import");
        for (EventRecord e : events) {
            JsonNode p = Json.readTrusted(e.propertiesJson());
            assertThat(p.get("$insert_id").asText()).isEqualTo(e.insertId());
            assertThat(p.get("distinct_id").asText()).isEqualTo(e.distinctId());
            assertThat(p.has("$lib") && p.has("$lib_version") && p.has("mp_lib")).as(e.propertiesJson()).isTrue();
        }
        assertThat(events).anyMatch(e -> e.propertiesJson().contains("\"$browser\""))
                .anyMatch(e -> e.propertiesJson().contains("\"$os\""));
    }

    @Test
    void every_person_has_a_profile() {
        long project = new DemoSeeder(server.app).seed().project().id();

        for (DemoPerson person : DemoPerson.ALL) {
            JsonNode profile = server.app.profiles().get(project, person.userId()).orElseThrow();
            assertThat(profile.get("$name").asText()).isEqualTo(person.name());
            assertThat(profile.get("$email").asText()).isEqualTo(person.email());
        }
    }
}
