package dev.lethe.store;

import dev.lethe.crypto.Secrets;
import dev.lethe.event.EventStore;
import dev.lethe.identity.IdentityStore;
import dev.lethe.profile.ProfileStore;
import dev.lethe.testing.StoreFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A store holding rows from before sealing (V018) is sealed in place when it opens, a batch per transaction:
 * stopped part-way, as by a crash, the next open goes on from where it stopped; once done, every row reads
 * back as before and the clear copies are gone from the store's pages.
 */
abstract class ContentSealingContract {

    abstract StoreFixture store();

    /** Whether the store's pages (live or dead rows, any file of it) hold the text in clear. */
    abstract boolean storeHolds(Database db, String text);

    static final long P = 1;
    static final int EVENTS = 2_500;

    @TempDir
    Path tmp;

    private final String person = "legacy-" + Secrets.random(20);
    private final String device = "device-" + Secrets.random(20);
    private final String marker = "marker-" + Secrets.random(20);

    /** Rows as a store before V018 wrote them: ids and properties in clear, no sealed content. */
    private void writeClearRows(Database db) {
        db.inTransaction(tx -> {
            IndexKeys keys = tx.keys();
            tx.prepareEventTimes(1_795_000_000_000L, 1_795_000_000_000L + EVENTS);
            try (PreparedStatement ps = tx.prepareStatement("INSERT INTO events (project_id, person_key, event_key, distinct_id, "
                    + "event, time_ms, insert_id, source, properties, received_at) VALUES (?, ?, ?, ?, 'Viewed', ?, ?, 'track', "
                    + tx.jsonParam() + ", 0)")) {
                for (int i = 0; i < EVENTS; i++) {
                    String id = i % 2 == 0 ? person : "other-" + (i % 50);
                    ps.setLong(1, P);
                    ps.setBytes(2, keys.person(P, id));
                    ps.setBytes(3, keys.event(P, "Viewed", "i-" + i));
                    ps.setString(4, id);
                    ps.setLong(5, 1_795_000_000_000L + i);
                    ps.setString(6, "i-" + i);
                    ps.setString(7, "{\"note\":\"" + (id.equals(person) ? marker : "kept") + "\"}");
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = tx.prepareStatement("INSERT INTO profiles (project_id, person_key, distinct_id, properties, "
                    + "updated_at) VALUES (?, ?, ?, " + tx.jsonParam() + ", 0)")) {
                ps.setLong(1, P);
                ps.setBytes(2, keys.person(P, person));
                ps.setString(3, person);
                ps.setString(4, "{\"email\":\"" + marker + "@example.com\"}");
                ps.executeUpdate();
            }
            try (PreparedStatement ps = tx.prepareStatement("INSERT INTO identity_links (project_id, key_a, key_b, id_a, id_b, kind, "
                    + "created_at, role) VALUES (?, ?, ?, ?, ?, 'DEVICE', 0, 'SAME')")) {
                for (String[] pair : new String[][] {{person, device}, {device, person}}) {
                    ps.setLong(1, P);
                    ps.setBytes(2, keys.person(P, pair[0]));
                    ps.setBytes(3, keys.person(P, pair[1]));
                    ps.setString(4, pair[0]);
                    ps.setString(5, pair[1]);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    private static long unsealed(Database db) {
        return db.withConnection(tx -> {
            long n = 0;
            for (String table : List.of("events", "profiles", "identity_links")) {
                try (PreparedStatement ps = tx.prepareStatement("SELECT COUNT(*) FROM " + table + " WHERE sealed IS NULL");
                     ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    n += rs.getLong(1);
                }
            }
            return n;
        });
    }

    @Test
    void an_existing_store_is_sealed_in_place_and_a_stopped_sealing_goes_on_at_the_next_start() {
        StoreConfig config = store().newStore(tmp);
        try (Database db = Database.open(config)) {
            writeClearRows(db);
            assertThat(unsealed(db)).isEqualTo(EVENTS + 1 + 2);
            assertThat(storeHolds(db, marker)).as("the probe sees clear values").isTrue();

            ContentSealing.sealClearRows(db, 1);
            assertThat(unsealed(db)).as("one batch sealed, the rest left as by a crash").isEqualTo(EVENTS - 1_000);
        }

        try (Database db = Database.open(config)) {
            assertThat(unsealed(db)).isZero();
            assertThat(storeHolds(db, marker)).as("the clear copies after the rebuild").isFalse();
            assertThat(storeHolds(db, person)).isFalse();
            assertThat(storeHolds(db, device)).isFalse();

            EventStore events = new EventStore(db);
            assertThat(events.list(P, Set.of(person))).hasSize(EVENTS / 2)
                    .allSatisfy(e -> assertThat(e.propertiesJson()).contains(marker));
            assertThat(events.list(P, Set.of("other-1"))).as("25 others, odd rows").hasSize(EVENTS / 50);
            assertThat(new ProfileStore(db).get(P, person).orElseThrow().get("email").asText()).isEqualTo(marker + "@example.com");
            Set<String> neighbours = db.withConnection(tx -> new IdentityStore(db).neighbours(tx, P, List.of(person)));
            assertThat(neighbours).containsExactly(device);
            int due = db.withConnection(tx -> {
                try (PreparedStatement ps = tx.prepareStatement("SELECT rebuild_due FROM content_sealing WHERE id = 1");
                     ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getInt(1) : -1;
                }
            });
            assertThat(due).as("the rebuild is done").isZero();
        }
    }
}
