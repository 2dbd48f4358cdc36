package dev.lethe.gdpr;

import dev.lethe.auth.Role;
import dev.lethe.json.Json;
import dev.lethe.task.Task;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lifting a deletion's suppression through the API: owner only, only a finished deletion that
 * suppressed, the person's new events accepted again afterwards, recorded on the task. Real
 * deletions run on the instance's own engine.
 */
abstract class SuppressionLiftContract extends GdprTestBase {

    private static final String PERSON = "lift-person";

    @Test
    void an_owner_lifts_it_and_the_persons_new_events_are_stored_again() {
        String trackingId = suppressedDeletionOf(PERSON);
        track(PERSON, "While Suppressed");
        assertThat(eventsOf(PERSON)).isZero();

        GdprClient.Response lifted = lift(owner, trackingId);

        assertThat(lifted.status()).as(lifted.body()).isEqualTo(200);
        assertThat(lifted.results().get("ids_lifted").asInt()).isEqualTo(1);
        assertThat(lifted.results().get("already_lifted").asBoolean()).isFalse();
        track(PERSON, "After The Lift");
        assertThat(eventsOf(PERSON)).isEqualTo(1);
        assertThat(liftRecord(trackingId)).isEqualTo(owner.name());
        assertThat(server.app.audit().page(owner.project().id(), null, 10)).anySatisfy(line -> {
            assertThat(line.action()).isEqualTo("lift-suppression");
            assertThat(line.trackingId()).isEqualTo(trackingId);
            assertThat(line.actor()).isEqualTo(owner.name());
            assertThat(line.channel()).isEqualTo("api");
            assertThat(line.outcome()).isEqualTo("lifted 1 id(s)");
            assertThat(line.idCount()).isZero();
        });
    }

    @Test
    void lifting_again_is_accepted_and_lifts_nothing_more() {
        String trackingId = suppressedDeletionOf(PERSON);
        assertThat(lift(owner, trackingId).status()).isEqualTo(200);

        GdprClient.Response again = lift(owner, trackingId);

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.results().get("ids_lifted").asInt()).isZero();
        assertThat(again.results().get("already_lifted").asBoolean()).isTrue();
    }

    @Test
    void an_admin_may_suppress_but_not_lift() {
        String trackingId = suppressedDeletionOf(PERSON);
        Caller admin = Caller.user(server, owner.project(), Role.ADMIN);

        GdprClient.Response refused = lift(admin, trackingId);

        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.error()).contains("owner");
        assertThat(server.app.audit().page(owner.project().id(), null, 10)).anySatisfy(line -> {
            assertThat(line.action()).isEqualTo("lift-suppression");
            assertThat(line.actor()).isEqualTo(admin.name());
            assertThat(line.outcome()).isEqualTo("refused: not an owner");
        });
        track(PERSON, "Still Suppressed");
        assertThat(eventsOf(PERSON)).isZero();
    }

    @Test
    void a_deletion_without_suppress_or_not_finished_has_nothing_to_lift() {
        String plain = createdDeletion(owner, "plain-person");
        assertThat(lift(owner, plain).status()).as("not finished").isEqualTo(405);
        assertThat(server.app.engine().runOnce()).isTrue();

        GdprClient.Response refused = lift(owner, plain);

        assertThat(refused.status()).isEqualTo(405);
        assertThat(refused.error()).contains("without \"suppress\": true");
        assertThat(lift(owner, "00000000-0000-4000-8000-000000000000").status()).isEqualTo(404);
    }

    @Test
    void another_projects_owner_sees_no_such_deletion() {
        String trackingId = suppressedDeletionOf(PERSON);
        Caller stranger = Caller.ownerOfNewProject(server);

        assertThat(lift(stranger, trackingId).status()).isEqualTo(404);
        track(PERSON, "Still Suppressed");
        assertThat(eventsOf(PERSON)).isZero();
    }

    @Test
    void ids_a_later_deletion_suppressed_again_stay_suppressed() {
        String first = suppressedDeletionOf(PERSON, "shared-device");
        suppressedDeletionOf("shared-device");

        GdprClient.Response lifted = lift(owner, first);

        assertThat(lifted.results().get("ids_lifted").asInt()).isEqualTo(1);
        track(PERSON, "Back");
        track("shared-device", "Still Suppressed");
        assertThat(eventsOf(PERSON)).isEqualTo(1);
        assertThat(eventsOf("shared-device")).isZero();
    }

    private String suppressedDeletionOf(String... ids) {
        GdprClient.Response created = api.createDeletion(owner,
                GdprClient.body("distinct_ids", List.of(ids), "compliance_type", "GDPR", "suppress", true));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(server.app.engine().runOnce()).isTrue();
        Task task = stored(created.trackingId());
        assertThat(task.status().name()).isEqualTo("SUCCESS");
        return created.trackingId();
    }

    private GdprClient.Response lift(Caller c, String trackingId) {
        return api.call("DELETE", GdprClient.DELETIONS + "/" + trackingId + "/suppression", c, null);
    }

    private void track(String distinctId, String event) {
        String data = Json.write(Map.of("event", event, "properties", Map.of("token", owner.projectToken(),
                "distinct_id", distinctId, "time", 1_790_000_000_000L, "$insert_id", event.replace(' ', '-') + "-" + distinctId)));
        HttpResponse<String> r = server.postForm("/track", "data=" + URLEncoder.encode(data, StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isEqualTo(200);
    }

    private long eventsOf(String distinctId) {
        return server.app.events().list(owner.project().id(), List.of(distinctId)).size();
    }

    private String liftRecord(String trackingId) {
        return server.app.db().withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT suppression_lifted_by FROM tasks WHERE tracking_id = ? AND suppression_lifted_at IS NOT NULL")) {
                ps.setString(1, trackingId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
    }
}
