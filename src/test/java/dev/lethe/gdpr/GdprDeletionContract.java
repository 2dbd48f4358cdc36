package dev.lethe.gdpr;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.json.Json;
import dev.lethe.task.Engines;
import dev.lethe.testing.Gzip;
import dev.lethe.task.Task;
import dev.lethe.task.TaskClaims;
import dev.lethe.task.TaskStatus;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;

import static dev.lethe.gdpr.GdprClient.DELETIONS;
import static dev.lethe.gdpr.GdprClient.body;
import static dev.lethe.gdpr.GdprClient.ids;
import static org.assertj.core.api.Assertions.assertThat;

/** Create, check and cancel a deletion: shapes, validation, duplicates, cancel in every state. */
abstract class GdprDeletionContract extends GdprTestBase {

    @Test
    void create_answers_201_with_the_same_id_as_task_id_and_tracking_id() {
        GdprClient.Response r = api.createDeletion(owner, ids("alice"));
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.json().get("status").asText()).isEqualTo("ok");
        assertThat(r.results().get("task_id").asText()).isEqualTo(r.trackingId()).isNotEmpty();
    }

    @Test
    void check_answers_exactly_the_contract_fields() {
        String id = api.createDeletion(owner, body("distinct_ids", List.of("alice", "bob", "alice"),
                "compliance_type", "ccpa")).trackingId();
        JsonNode results = api.checkDeletion(owner, id).results();
        List<String> fields = new ArrayList<>();
        results.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactlyInAnyOrder("tracking_id", "status", "requesting_user", "compliance_type",
                "project_id", "date_requested", "distinct_ids");
        assertThat(results.get("tracking_id").asText()).isEqualTo(id);
        assertThat(results.get("status").asText()).isEqualTo("PENDING");
        assertThat(results.get("requesting_user").asText()).isEqualTo(owner.name());
        assertThat(results.get("compliance_type").asText()).isEqualTo("CCPA");
        assertThat(results.get("project_id").isIntegralNumber()).isTrue();
        assertThat(results.get("project_id").asLong()).isEqualTo(owner.project().id());
        assertThat(results.get("date_requested").asText()).isEqualTo("2026-11-28T09:15:02.118000");
        assertThat(results.get("distinct_ids")).extracting(JsonNode::asText).containsExactly("alice", "bob");
    }

    @Test
    void verbose_adds_person_counts_times_and_error() {
        server.app.links().link(owner.project().id(), "alice", "alice-phone", dev.lethe.identity.LinkKind.DEVICE, 0);
        String id = createdDeletion(owner, "alice");
        Engines.drain(engine);
        JsonNode plain = api.checkDeletion(owner, id).results();
        JsonNode verbose = api.call("GET", DELETIONS + "/" + id, owner, null, "&verbose=1").results();
        assertThat(plain.has("counts")).isFalse();
        assertThat(verbose.get("status").asText()).isEqualTo("SUCCESS");
        // why: the resolved ids include linked ids nobody asked for; they end the task as keyed hashes.
        long project = owner.project().id();
        assertThat(verbose.get("person_ids")).extracting(JsonNode::asText).containsExactly(
                server.app.taskIdHashes().hash(project, "alice"), server.app.taskIdHashes().hash(project, "alice-phone"));
        assertThat(verbose.get("counts").get("events_deleted").asInt()).isEqualTo(3);
        assertThat(verbose.get("started_at").asText()).isEqualTo("2026-11-28T09:15:02.118000");
        assertThat(verbose.get("finished_at").asText()).isEqualTo("2026-11-28T09:15:02.118000");
        assertThat(verbose.get("error").isNull()).isTrue();
    }

    @Test
    void a_running_task_keeps_its_resolved_ids_sealed_in_the_store_and_shows_them_to_the_owner() {
        long project = owner.project().id();
        server.app.links().link(project, "alice", "alice@example.com", dev.lethe.identity.LinkKind.ALIAS, 0);
        String id = createdDeletion(owner, "alice");
        TaskClaims claims = new TaskClaims(server.app.db(), server.app.taskIdHashes());
        Task staging = claims.claimNext("test-worker", now(), now() + 60_000).orElseThrow();
        claims.stageAndStart(staging, List.of("alice", "alice@example.com"), now(), now() + 60_000).orElseThrow();

        String stored = server.app.db().withConnection(c -> {
            try (var ps = c.prepareStatement("SELECT person_ids FROM tasks WHERE tracking_id = ?")) {
                ps.setString(1, id);
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
        assertThat(stored).as("the linked id nobody asked for, as stored while the task runs")
                .doesNotContain("alice@example.com").doesNotContain("alice\"");
        assertThat(stored(id).personIds()).as("read back by the instance").containsExactly("alice", "alice@example.com");
        JsonNode verbose = api.call("GET", DELETIONS + "/" + id, owner, null, "&verbose=1").results();
        assertThat(verbose.get("status").asText()).isEqualTo("STARTED");
        assertThat(verbose.get("person_ids")).extracting(JsonNode::asText).containsExactly("alice", "alice@example.com");
    }

    @Test
    void after_the_id_retention_the_check_and_the_listing_show_keyed_hashes_of_the_requested_ids() {
        server.app.links().link(owner.project().id(), "alice", "alice-phone", dev.lethe.identity.LinkKind.DEVICE, 0);
        String id = createdDeletion(owner, "alice");
        Engines.drain(engine);
        assertThat(server.app.idRetention().applyOnce()).as("nothing is past the retention yet").isZero();
        assertThat(api.checkDeletion(owner, id).results().get("distinct_ids")).extracting(JsonNode::asText)
                .containsExactly("alice");

        server.clock.advance(server.app.config().idRetention().plusSeconds(1));
        assertThat(server.app.idRetention().applyOnce()).isEqualTo(1);

        String hashed = server.app.taskIdHashes().hash(owner.project().id(), "alice");
        assertThat(hashed).startsWith(dev.lethe.task.TaskIdHashes.PREFIX).hasSize(dev.lethe.task.TaskIdHashes.PREFIX.length() + 64);
        JsonNode check = api.checkDeletion(owner, id).results();
        assertThat(check.get("status").asText()).isEqualTo("SUCCESS");
        assertThat(check.get("distinct_ids")).extracting(JsonNode::asText).containsExactly(hashed);
        JsonNode verbose = api.call("GET", DELETIONS + "/" + id, owner, null, "&verbose=1").results();
        assertThat(verbose.get("person_ids")).hasSize(2);
        GdprClient.Response listing = api.call("GET", DELETIONS, owner, null, "&verbose=1");
        assertThat(listing.status()).isEqualTo(200);
        assertThat(listing.body()).contains(hashed).doesNotContain("\"alice\"").doesNotContain("alice-phone");
        assertThat(server.app.idRetention().applyOnce()).as("a second pass finds nothing left").isZero();
    }

    @Test
    void a_failure_shows_its_error_only_when_verbose() {
        deletions.then((task, run) -> {
            throw new IllegalStateException("disk on fire");
        });
        String id = createdDeletion(owner, "alice");
        Engines.drain(engine);
        assertThat(api.checkDeletion(owner, id).body()).doesNotContain("disk on fire").contains("FAILURE");
        assertThat(api.call("GET", DELETIONS + "/" + id, owner, null, "&verbose=1").results().get("error").asText())
                .isEqualTo("disk on fire");
    }

    @Test
    void invalid_bodies_are_400() {
        String longId = "x".repeat(256);
        List<String> tooMany = IntStream.range(0, 2001).mapToObj(i -> "id" + i).toList();
        for (String bad : new String[] {"{not json", "[\"alice\"]", "\"alice\"", "", "{}", body("distinct_ids", List.of()),
                body("distinct_ids", "alice"), "{\"distinct_ids\": [1]}", "{\"distinct_ids\": [null]}",
                body("distinct_ids", List.of("")), body("distinct_ids", List.of(longId)), body("distinct_ids", tooMany),
                body("distinct_ids", List.of("a"), "compliance_type", "HIPAA"),
                body("distinct_ids", List.of("a"), "compliance_type", 7),
                body("distinct_ids", List.of("a"), "suppress", "yes"), body("distinct_ids", List.of("a\0b"))}) {
            GdprClient.Response r = api.createDeletion(owner, bad);
            assertThat(r.status()).as(bad.length() > 80 ? bad.substring(0, 80) : bad).isEqualTo(400);
            assertThat(r.json().get("status").asText()).isEqualTo("error");
        }
        assertThat(server.app.tasks().countUnfinished(owner.project().id())).isZero();
    }

    @Test
    void a_compressed_body_and_each_json_limit_are_refused_naming_what_is_wrong() {
        HttpResponse<String> gzip = server.send(HttpRequest.newBuilder(server.uri(DELETIONS + "?token=" + owner.projectToken()))
                .header("Authorization", owner.authorization()).header("Content-Type", "application/json")
                .header("Content-Encoding", "gzip").POST(HttpRequest.BodyPublishers.ofByteArray(Gzip.bytes(ids("alice").getBytes()))));
        OpenApiSpec.assertDescribes("POST", DELETIONS, gzip);
        assertThat(gzip.statusCode()).as(gzip.body()).isEqualTo(400);
        assertThat(Json.readTrusted(gzip.body()).get("error").asText()).contains("Content-Encoding gzip");
        for (String v2 : new String[] {DELETIONS, DELETIONS.replace("v3.0", "v2.0")}) {
            GdprClient.Response deep = api.call("POST", v2, owner, "{\"distinct_ids\":[\"a\"],\"x\":" + "[".repeat(30) + "]".repeat(30) + "}");
            assertThat(deep.status()).isEqualTo(400);
            assertThat(deep.json().get("error").asText()).contains("nests deeper than");
            GdprClient.Response number = api.call("POST", v2, owner, "{\"distinct_ids\":[\"a\"],\"x\":" + "9".repeat(1200) + "}");
            assertThat(number.status()).isEqualTo(400);
            assertThat(number.json().get("error").asText()).contains("number longer than");
        }
        assertThat(server.app.tasks().countUnfinished(owner.project().id())).isZero();
    }

    @Test
    void limits_are_inclusive_and_repeated_ids_count_once() {
        List<String> ids = new ArrayList<>(IntStream.range(0, 1999).mapToObj(i -> "id" + i).toList());
        ids.add("y".repeat(255));
        ids.addAll(List.copyOf(ids.subList(0, 500)));
        Collections.shuffle(ids, new java.util.Random(7));
        GdprClient.Response r = api.createDeletion(owner, body("distinct_ids", ids));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(stored(r.trackingId()).distinctIds()).hasSize(2000);
    }

    @Test
    void compliance_type_in_any_case_is_echoed_upper_case_and_suppress_is_kept() {
        String id = api.createDeletion(owner, body("distinct_ids", List.of("a"), "compliance_type", "gDpR",
                "suppress", true)).trackingId();
        assertThat(api.checkDeletion(owner, id).results().get("compliance_type").asText()).isEqualTo("GDPR");
        assertThat(stored(id).suppress()).isTrue();
    }

    @Test
    void an_identical_request_while_unfinished_returns_the_same_task() {
        String first = createdDeletion(owner, "alice", "bob");
        assertThat(createdDeletion(owner, "bob", "alice", "bob")).isEqualTo(first);
        assertThat(api.createDeletion(owner, body("distinct_ids", List.of("alice", "bob"), "suppress", true))
                .trackingId()).isNotEqualTo(first);
        assertThat(api.createDeletion(owner, body("distinct_ids", List.of("alice", "bob"), "compliance_type", "CCPA"))
                .trackingId()).isNotEqualTo(first);
        Engines.drain(engine);
        assertThat(createdDeletion(owner, "alice", "bob")).isNotEqualTo(first);
    }

    @Test
    void every_path_answers_with_a_trailing_slash() {
        GdprClient.Response created = api.call("POST", DELETIONS + "/", owner, ids("alice"));
        assertThat(created.status()).isEqualTo(201);
        String id = created.trackingId();
        assertThat(api.call("GET", DELETIONS + "/" + id + "/", owner, null).status()).isEqualTo(200);
        assertThat(api.call("GET", DELETIONS + "/", owner, null).status()).isEqualTo(200);
        assertThat(api.call("DELETE", DELETIONS + "/" + id + "/", owner, null).status()).isEqualTo(204);
    }

    @Test
    void unknown_malformed_and_other_kind_tracking_ids_are_404_not_found() {
        String retrieval = createdRetrieval(owner, "alice");
        for (String id : new String[] {"a".repeat(24), "nope", "..%2F..%2Fetc%2Fpasswd", "%27%20OR%201%3D1", retrieval}) {
            for (GdprClient.Response r : List.of(api.checkDeletion(owner, id), api.cancelDeletion(owner, id))) {
                assertThat(r.status()).as(id).isEqualTo(404);
                assertThat(r.results().get("status").asText()).isEqualTo("NOT_FOUND");
            }
        }
    }

    @Test
    void another_projects_task_is_404_for_check_and_cancel() {
        String id = createdDeletion(owner, "alice");
        Caller stranger = Caller.ownerOfNewProject(server);
        assertThat(api.checkDeletion(stranger, id).status()).isEqualTo(404);
        assertThat(api.cancelDeletion(stranger, id).status()).isEqualTo(404);
        assertThat(stored(id).status()).isEqualTo(TaskStatus.PENDING);
    }

    @Test
    void cancel_while_pending_is_204_with_no_body_and_again_once_revoked() {
        String id = createdDeletion(owner, "alice");
        GdprClient.Response r = api.cancelDeletion(owner, id);
        assertThat(r.status()).isEqualTo(204);
        assertThat(r.body()).isEmpty();
        assertThat(api.cancelDeletion(owner, id).status()).isEqualTo(204);
        assertThat(api.checkDeletion(owner, id).results().get("status").asText()).isEqualTo("REVOKED");
        Engines.drain(engine);
        assertThat(deletions.calls()).isEmpty();
    }

    @Test
    void cancel_while_staging_is_204_and_the_task_never_starts() {
        String id = createdDeletion(owner, "alice");
        Task staging = claims().claimNext("test-worker", now(), now() + 60_000).orElseThrow();
        assertThat(staging.status()).isEqualTo(TaskStatus.STAGING);
        assertThat(api.cancelDeletion(owner, id).status()).isEqualTo(204);
        assertThat(claims().stageAndStart(staging, List.of("alice"), now(), now() + 60_000)).isEmpty();
        assertThat(stored(id).status()).isEqualTo(TaskStatus.REVOKED);
    }

    @Test
    void cancel_once_started_succeeded_or_failed_is_405() {
        String started = createdDeletion(owner, "started");
        Task staging = claims().claimNext("test-worker", now(), now() + 60_000).orElseThrow();
        claims().stageAndStart(staging, List.of("started"), now(), now() + 60_000).orElseThrow();
        String succeeded = createdDeletion(owner, "succeeded");
        Engines.drain(engine);
        deletions.then((task, run) -> {
            throw new IllegalStateException("boom");
        });
        String failed = createdDeletion(owner, "failed");
        Engines.drain(engine);
        assertThat(stored(succeeded).status()).isEqualTo(TaskStatus.SUCCESS);
        assertThat(stored(failed).status()).isEqualTo(TaskStatus.FAILURE);
        for (String id : List.of(started, succeeded, failed)) {
            TaskStatus before = stored(id).status();
            GdprClient.Response r = api.cancelDeletion(owner, id);
            assertThat(r.status()).as(before.name()).isEqualTo(405);
            assertThat(stored(id).status()).isEqualTo(before);
        }
    }

    @Test
    void a_check_while_the_store_is_down_is_503_unknown() {
        String id = createdDeletion(owner, "alice");
        server.app.db().close();
        GdprClient.Response r = api.checkDeletion(owner, id);
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.raw().headers().firstValue("Retry-After")).hasValue("5");
        assertThat(r.results().get("status").asText()).isEqualTo("UNKNOWN");
    }

    private TaskClaims claims() {
        return new TaskClaims(server.app.db());
    }

    private long now() {
        return server.clock.millis();
    }
}
