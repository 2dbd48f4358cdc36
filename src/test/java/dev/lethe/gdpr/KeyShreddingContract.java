package dev.lethe.gdpr;

import dev.lethe.crypto.Secrets;
import dev.lethe.event.EventStore;
import dev.lethe.store.Database;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Erasure by key destruction (docs/erasure.md): a person's ids and properties reach the store sealed with
 * their data key, so the store's pages never hold them in clear; a deletion destroys the keys, so a backup
 * of the main store taken before the deletion and restored after it yields nothing of the person, while the
 * other people's data in it reads back whole.
 */
abstract class KeyShreddingContract extends LiveGdprTestBase {

    /** Whether the main store's pages (live or dead rows, any file of it) hold the text in clear. */
    abstract boolean storeHolds(String text);

    /** Takes a backup of the main store (never the keystore) while the server runs. */
    abstract Object backUp() throws Exception;

    /** Puts the backup back in place of the main store; the server is stopped. */
    abstract void restore(Object backup) throws Exception;

    // why: random values cannot occur in the pages by chance, so finding one means it is stored in clear.
    final String person = "shred-me-" + Secrets.random(20);
    final String alias = "alias-" + Secrets.random(20);
    final String marker = "marker-" + Secrets.random(20);

    private void track(String distinctId, String insertId, String note) {
        trackJson("{\"event\":\"Viewed\",\"properties\":{\"distinct_id\":\"" + distinctId + "\",\"$insert_id\":\"" + insertId
                + "\",\"time\":1795000000,\"note\":\"" + note + "\"}}");
    }

    private void seed() {
        for (int i = 0; i < 20; i++) {
            track(person, "ins-" + i, marker + "-" + i);
            track("bystander", "b-" + i, "kept-" + i);
        }
        trackJson("{\"event\":\"$create_alias\",\"properties\":{\"distinct_id\":\"" + person + "\",\"alias\":\"" + alias + "\"}}");
        String engage = "{\"$token\":\"" + owner.projectToken() + "\",\"$distinct_id\":\"" + person + "\",\"$set\":{\"email\":\""
                + marker + "@example.com\"}}";
        String data = Base64.getEncoder().encodeToString(engage.getBytes(StandardCharsets.UTF_8));
        assertThat(server.postForm("/engage", "data=" + data).body()).isEqualTo("1");
    }

    private long project() {
        return owner.project().id();
    }

    @Test
    void the_person_s_ids_and_properties_reach_the_store_sealed_and_read_back_whole() {
        seed();
        assertThat(storeHolds(marker)).as("a property value in clear").isFalse();
        assertThat(storeHolds(person)).as("the distinct id in clear").isFalse();
        assertThat(storeHolds(alias)).as("the alias in clear").isFalse();
        assertThat(storeHolds("kept-7")).as("the bystander's values are sealed too").isFalse();

        assertThat(server.app.events().list(project(), Set.of(person))).hasSize(20)
                .allSatisfy(e -> assertThat(e.propertiesJson()).contains(marker));
        assertThat(server.app.resolver().resolve(project(), Set.of(alias))).containsExactlyInAnyOrder(person, alias);
        assertThat(server.app.profiles().get(project(), person).orElseThrow().get("email").asText())
                .isEqualTo(marker + "@example.com");
    }

    @Test
    void a_backup_taken_before_a_deletion_and_restored_after_it_yields_nothing_of_the_person() throws Exception {
        seed();
        Object backup = backUp();

        GdprClient.Response created = api.createDeletion(owner, GdprClient.ids(person));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        while (server.app.engine().runOnce()) {
            // each poll moves one task one step
        }
        assertThat(api.checkDeletion(owner, created.trackingId()).results().get("status").asText()).isEqualTo("SUCCESS");
        Database db = server.app.db();
        assertThat(db.keystore().count(project(), List.of(db.keys().person(project(), person), db.keys().person(project(), alias))))
                .as("the person's keys are destroyed").isZero();

        server = server.restartAfter(() -> {
            try {
                restore(backup);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        long project = project();
        assertThat(server.app.events().count(project, Set.of(person)))
                .as("the restored rows are back, sealed").isEqualTo(20);
        assertThat(server.app.events().list(project, Set.of(person, alias))).as("but none opens").isEmpty();
        assertThat(server.app.profiles().get(project, person)).isEmpty();
        assertThat(server.app.resolver().resolve(project, Set.of(alias))).as("the link does not open either").containsExactly(alias);
        List<EventStore.Row> all = server.app.events().timeRange(project, Long.MIN_VALUE, Long.MAX_VALUE,
                EventStore.TimePosition.START, 1000);
        assertThat(all).hasSize(40);
        assertThat(all.stream().filter(EventStore.Row::readable).map(EventStore.Row::distinctId))
                .as("the export reads the others whole").hasSize(20).containsOnly("bystander");
        assertThat(server.app.events().list(project, Set.of("bystander"))).hasSize(20)
                .allSatisfy(e -> assertThat(e.propertiesJson()).contains("kept-"));
        assertThat(storeHolds(marker)).isFalse();
        assertThat(storeHolds(person)).isFalse();
    }

    @Test
    void rows_an_export_read_before_a_deletion_and_opens_after_it_yield_nothing_of_the_person() {
        seed();
        // why: an export reads a chunk on one thread and opens it on another, later (query/ExportChunks)
        EventStore.Unopened chunk = server.app.events().timeRangeUnopened(project(), Long.MIN_VALUE, Long.MAX_VALUE,
                EventStore.TimePosition.START, 1000);
        var reader = server.app.events().readerSealer();
        assertThat(server.app.events().timeRangeUnopened(project(), Long.MIN_VALUE, Long.MAX_VALUE,
                EventStore.TimePosition.START, 1000).openEncoded(reader).stream().filter(EventStore.EncodedRow::readable))
                .as("before the deletion, the same reader opens all 40").hasSize(40);

        GdprClient.Response created = api.createDeletion(owner, GdprClient.ids(person));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        while (server.app.engine().runOnce()) {
            // each poll moves one task one step
        }
        assertThat(api.checkDeletion(owner, created.trackingId()).results().get("status").asText()).isEqualTo("SUCCESS");

        List<EventStore.EncodedRow> rows = chunk.openEncoded(reader);
        assertThat(rows).hasSize(40);
        assertThat(rows.stream().filter(EventStore.EncodedRow::readable).map(EventStore.EncodedRow::distinctId))
                .as("the person's rows read before SUCCESS do not open after it").hasSize(20).containsOnly("bystander");
        assertThat(rows.stream().filter(r -> !r.readable())).as("nothing of the person's content")
                .allSatisfy(r -> assertThat(r.fields()).isNull());
    }
}
