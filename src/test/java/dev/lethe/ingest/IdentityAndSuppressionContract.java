package dev.lethe.ingest;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static dev.lethe.ingest.EventBuilder.event;
import static org.assertj.core.api.Assertions.assertThat;

/** The identity links events declare, and events of suppressed ids being dropped and counted. */
abstract class IdentityAndSuppressionContract extends IngestTestBase {

    private static final String ANON = "0b4f3c1e-7d2a-4e8b-9f60-1a2b3c4d5e6f";

    private Set<String> person(String id) {
        return server.app.resolver().resolve(projectId(), List.of(id));
    }

    @Test
    void create_alias_links_the_alias_and_is_not_stored_as_an_event() {
        server.postJson("/track", event("$create_alias").distinctId("user-1").token(token).prop("alias", "alias-1").json());
        assertThat(person("alias-1")).containsExactly("alias-1", "user-1");
        assertThat(person("user-1")).containsExactly("alias-1", "user-1");
        assertThat(rows("events")).isZero();
    }

    @Test
    void create_alias_without_alias_is_refused() {
        assertThat(server.postJson("/track", event("$create_alias").distinctId("user-1").token(token).json()).statusCode())
                .isEqualTo(400);
        assertNothingStored();
    }

    @Test
    void identify_links_the_anonymous_and_identified_ids_and_is_stored() {
        server.postJson("/track", event("$identify").distinctId("user-1").token(token)
                .prop("$anon_distinct_id", ANON).prop("$identified_id", "user-1").json());
        assertThat(person("user-1")).containsExactly(ANON, "user-1");
        assertThat(person(ANON)).as("a request for the anonymous id covers only it").containsExactly(ANON);
        assertThat(eventsOf("user-1")).hasSize(1);
    }

    @Test
    void an_event_with_device_and_user_id_links_the_device_to_the_user() {
        server.postJson("/track", event("Viewed").distinctId("user-1").token(token)
                .prop("$device_id", "dev-1").prop("$user_id", "user-1").json());
        assertThat(person("user-1")).containsExactly("$device:dev-1", "user-1");
        assertThat(person("dev-1")).as("a bare id not of a generated shape is a user id of its own").containsExactly("dev-1");
    }

    @Test
    void links_are_transitive_across_kinds() {
        server.postJson("/track", EventBuilder.array(
                event("$create_alias").distinctId("user-1").token(token).prop("alias", "email-1"),
                event("Viewed").distinctId("user-1").token(token).prop("$device_id", "dev-1").prop("$user_id", "user-1")));
        assertThat(person("email-1")).containsExactly("$device:dev-1", "email-1", "user-1");
    }

    @Test
    void events_of_a_suppressed_id_are_dropped_counted_and_answered_1() {
        suppress("gone");
        var r = server.postJson("/track", EventBuilder.array(
                event("a").distinctId("gone").token(token), event("b").distinctId("kept").token(token),
                event("c").distinctId("kept").token(token).prop("$device_id", "d").prop("$user_id", "gone")));
        assertThat(r.body()).isEqualTo("1");
        assertThat(eventsOf("gone")).isEmpty();
        assertThat(eventsOf("kept")).extracting(e -> e.event()).containsExactly("b");
        assertThat(rows("identity_links")).isZero();
        assertThat(server.app.suppressions().droppedTotal(projectId())).isEqualTo(2);
    }

    @Test
    void profile_updates_of_a_suppressed_id_are_dropped_and_counted() {
        suppress("gone");
        String data = base64("{\"$token\":\"" + token + "\",\"$distinct_id\":\"gone\",\"$set\":{\"a\":1}}");
        assertThat(server.postForm("/engage", "data=" + data).body()).isEqualTo("1");
        assertThat(rows("profiles")).isZero();
        assertThat(server.app.suppressions().droppedTotal(projectId())).isEqualTo(1);
    }

    @Test
    void imports_of_a_suppressed_id_are_dropped_and_not_counted_as_imported() {
        suppress("gone");
        var r = post("/import", "application/json", EventBuilder.array(
                        event("a").distinctId("gone").time(1_600_000_000L), event("a").distinctId("kept").time(1_600_000_000L))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8), "Authorization", basic(project.apiSecret(), ""));
        assertThat(json(r).get("num_records_imported").asInt()).isEqualTo(1);
        assertThat(rows("events")).isEqualTo(1);
    }

    private void suppress(String id) {
        server.app.db().inTransaction(c -> {
            server.app.suppressions().suppress(c, projectId(), List.of(id), 1, 0);
            return null;
        });
    }
}
