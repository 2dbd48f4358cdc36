package dev.lethe.gdpr;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.testing.WebhookReceiver;
import dev.lethe.webhook.WebhookEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Tasks made through the GDPR API tell the project's webhooks, with the task in the fields its check answers. */
abstract class GdprWebhookContract extends GdprTestBase {

    private final WebhookReceiver receiver = WebhookReceiver.start();

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    private String webhook() {
        return server.app.webhooks().create(owner.project().id(), receiver.url(), WebhookEvent.parseList(null)).secret();
    }

    private void send() {
        drain(() -> server.app.webhookSender().runOnce() > 0);
    }

    /** Polls until a poll finds nothing (at most 100 times: more means a loop). */
    private static void drain(java.util.function.BooleanSupplier poll) {
        for (int i = 0; i < 100; i++) {
            if (!poll.getAsBoolean()) {
                return;
            }
        }
        throw new AssertionError("still finding work after 100 polls");
    }

    @Test
    void a_deletion_made_through_the_api_is_told_in_the_fields_of_its_check() {
        String secret = webhook();
        String trackingId = createdDeletion(owner, "api-webhook-person");
        drain(server.app.engine()::runOnce);

        send();

        assertThat(receiver.types()).containsExactly("task.created", "task.staging", "task.started", "task.finished");
        assertThat(receiver.received()).allSatisfy(r ->
                assertThat(WebhookReceiver.verify(secret, r, server.clock.millis() / 1000)).isTrue());
        JsonNode check = api.checkDeletion(owner, trackingId).results();
        JsonNode data = receiver.received().get(3).json().get("data");
        List<String> checkFields = fieldNames(check);
        assertThat(checkFields).containsExactlyInAnyOrder("tracking_id", "status", "requesting_user", "compliance_type",
                "project_id", "date_requested", "distinct_ids");
        for (String field : checkFields) {
            assertThat(data.get(field)).as(field).isEqualTo(check.get(field));
        }
        assertThat(data.get("kind").asText()).isEqualTo("deletion");
    }

    @Test
    void a_cancel_through_the_api_is_told_as_task_cancelled() {
        webhook();
        String trackingId = createdDeletion(owner, "api-webhook-cancelled");
        assertThat(api.cancelDeletion(owner, trackingId).status()).isEqualTo(204);
        assertThat(api.cancelDeletion(owner, trackingId).status()).as("a repeat moves nothing").isEqualTo(204);

        send();

        assertThat(receiver.types()).containsExactly("task.created", "task.cancelled");
        assertThat(receiver.received().get(1).json().get("data").get("status").asText()).isEqualTo("REVOKED");
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
