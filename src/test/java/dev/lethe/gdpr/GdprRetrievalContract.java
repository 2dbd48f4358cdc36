package dev.lethe.gdpr;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.task.Engines;
import dev.lethe.task.TaskStatus;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.lethe.gdpr.GdprClient.RETRIEVALS;
import static dev.lethe.gdpr.GdprClient.body;
import static dev.lethe.gdpr.GdprClient.ids;
import static org.assertj.core.api.Assertions.assertThat;

/** Create, check and cancel a retrieval; the download link appears once the task succeeds. */
abstract class GdprRetrievalContract extends GdprTestBase {

    @Test
    void check_shows_an_empty_link_until_success_then_the_link_in_both_fields() {
        String id = createdRetrieval(owner, "alice");
        JsonNode pending = api.checkRetrieval(owner, id).results();
        assertThat(pending.get("status").asText()).isEqualTo("PENDING");
        assertThat(pending.get("results").asText()).isEmpty();
        assertThat(pending.get("result").asText()).isEmpty();
        assertThat(pending.get("distinct_ids")).extracting(JsonNode::asText).containsExactly("alice");

        Engines.drain(engine);
        JsonNode done = api.checkRetrieval(owner, id).results();
        assertThat(done.get("status").asText()).isEqualTo("SUCCESS");
        assertThat(done.get("results").asText())
                .startsWith(server.app.baseUrl() + "/downloads/" + id + ".zip?expires=").contains("&signature=");
        assertThat(done.get("result").asText()).isEqualTo(done.get("results").asText());
        assertThat(retrievals.trackingIds()).containsExactly(id);
    }

    @Test
    void disclosure_type_is_accepted_in_any_case_and_only_kept_for_ccpa() {
        String ccpa = api.createRetrieval(owner, body("distinct_ids", List.of("a"), "compliance_type", "ccpa",
                "disclosure_type", "cAtEgOrIeS")).trackingId();
        String gdpr = api.createRetrieval(owner, body("distinct_ids", List.of("a"), "disclosure_type", "sources"))
                .trackingId();
        assertThat(stored(ccpa).disclosureType()).isEqualTo("Categories");
        assertThat(stored(ccpa).complianceType()).isEqualTo("CCPA");
        assertThat(stored(gdpr).disclosureType()).isEqualTo("Data");
        JsonNode verbose = api.call("GET", RETRIEVALS + "/" + ccpa, owner, null, "&verbose=1").results();
        assertThat(verbose.get("disclosure_type").asText()).isEqualTo("Categories");
        assertThat(verbose.get("compliance_type").asText()).isEqualTo("CCPA");
    }

    @Test
    void unknown_disclosure_type_is_400() {
        GdprClient.Response r = api.createRetrieval(owner, body("distinct_ids", List.of("a"), "compliance_type", "CCPA",
                "disclosure_type", "Everything"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.error()).contains("disclosure_type");
    }

    @Test
    void retrieval_and_deletion_of_the_same_ids_are_different_tasks() {
        assertThat(createdRetrieval(owner, "alice")).isNotEqualTo(createdDeletion(owner, "alice"));
    }

    @Test
    void cancel_works_like_a_deletion_cancel() {
        String pending = createdRetrieval(owner, "alice");
        assertThat(api.cancelRetrieval(owner, pending).status()).isEqualTo(204);
        assertThat(api.cancelRetrieval(owner, pending).status()).isEqualTo(204);
        String done = createdRetrieval(owner, "bob");
        Engines.drain(engine);
        assertThat(api.cancelRetrieval(owner, done).status()).isEqualTo(405);
        assertThat(stored(done).status()).isEqualTo(TaskStatus.SUCCESS);
        assertThat(api.cancelRetrieval(Caller.ownerOfNewProject(server), done).status()).isEqualTo(404);
        assertThat(retrievals.trackingIds()).containsExactly(done);
    }

    @Test
    void another_projects_retrieval_is_404() {
        String id = createdRetrieval(owner, "alice");
        GdprClient.Response r = api.checkRetrieval(Caller.ownerOfNewProject(server), id);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.results().get("status").asText()).isEqualTo("NOT_FOUND");
    }

    @Test
    void a_body_over_the_limit_is_413() {
        String big = ids("x".repeat(200)).replace("]", ",\"" + "y".repeat(11_000_000) + "\"]");
        assertThat(big.length()).isGreaterThan(10 * 1024 * 1024);
        assertThat(api.createRetrieval(owner, big).status()).isEqualTo(413);
    }
}
