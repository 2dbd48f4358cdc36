package dev.lethe.gdpr;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.task.Engines;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static dev.lethe.gdpr.GdprClient.DELETIONS;
import static dev.lethe.gdpr.GdprClient.RETRIEVALS;
import static org.assertj.core.api.Assertions.assertThat;

/** Listing (beyond v3): newest first, status filter, cursor paging, never another project's tasks. */
abstract class GdprListingContract extends GdprTestBase {

    @Test
    void lists_newest_first_across_pages_with_a_cursor() {
        List<String> created = IntStream.range(0, 7).mapToObj(i -> createdDeletion(owner, "person-" + i)).toList();
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            GdprClient.Response r = api.call("GET", DELETIONS, owner, null,
                    "&limit=3" + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(r.status()).isEqualTo(200);
            r.results().forEach(t -> seen.add(t.get("tracking_id").asText()));
            JsonNode next = r.json().get("next_cursor");
            cursor = next.isNull() ? null : next.asText();
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(3);
        List<String> newestFirst = new ArrayList<>(created);
        java.util.Collections.reverse(newestFirst);
        assertThat(seen).containsExactlyElementsOf(newestFirst);
    }

    @Test
    void the_status_filter_in_any_case_keeps_only_that_state() {
        String cancelled = createdDeletion(owner, "a");
        api.cancelDeletion(owner, cancelled);
        String done = createdDeletion(owner, "b");
        Engines.drain(engine);
        String pending = createdDeletion(owner, "c");
        assertThat(trackingIds(api.call("GET", DELETIONS, owner, null, "&status=revoked"))).containsExactly(cancelled);
        assertThat(trackingIds(api.call("GET", DELETIONS, owner, null, "&status=SUCCESS"))).containsExactly(done);
        assertThat(trackingIds(api.call("GET", DELETIONS, owner, null, "&status=Pending"))).containsExactly(pending);
        assertThat(trackingIds(api.call("GET", DELETIONS, owner, null, ""))).containsExactly(pending, done, cancelled);
    }

    @Test
    void retrievals_and_deletions_are_listed_apart_and_only_for_the_callers_project() {
        String deletion = createdDeletion(owner, "a");
        String retrieval = createdRetrieval(owner, "a");
        Caller stranger = Caller.ownerOfNewProject(server);
        createdDeletion(stranger, "z");
        assertThat(trackingIds(api.call("GET", DELETIONS, owner, null))).containsExactly(deletion);
        assertThat(trackingIds(api.call("GET", RETRIEVALS, owner, null))).containsExactly(retrieval);
        assertThat(trackingIds(api.call("GET", RETRIEVALS, stranger, null))).isEmpty();
        assertThat(trackingIds(api.call("GET", DELETIONS, stranger, null))).doesNotContain(deletion).hasSize(1);
    }

    @Test
    void a_listed_retrieval_carries_its_link_once_done() {
        String id = createdRetrieval(owner, "a");
        Engines.drain(engine);
        JsonNode item = api.call("GET", RETRIEVALS, owner, null).results().get(0);
        assertThat(item.get("result").asText()).contains("/downloads/" + id + ".zip?expires=");
        assertThat(item.get("disclosure_type").asText()).isEqualTo("Data");
    }

    @Test
    void bad_limit_status_or_cursor_is_400() {
        for (String query : new String[] {"&limit=0", "&limit=1001", "&limit=ten", "&status=DONE", "&cursor=%21%21",
                "&cursor=dDE6eA"}) {
            assertThat(api.call("GET", DELETIONS, owner, null, query).status()).as(query).isEqualTo(400);
        }
        assertThat(api.call("GET", DELETIONS, owner, null, "&limit=1000").status()).isEqualTo(200);
    }

    private static List<String> trackingIds(GdprClient.Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        r.results().forEach(t -> out.add(t.get("tracking_id").asText()));
        return out;
    }
}
