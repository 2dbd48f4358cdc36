package dev.lethe.ingest;

import com.mixpanel.mixpanelapi.ClientDelivery;
import com.mixpanel.mixpanelapi.MessageBuilder;
import com.mixpanel.mixpanelapi.MixpanelAPI;
import dev.lethe.event.EventRecord;
import dev.lethe.json.Json;
import org.json.JSONObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** The official Mixpanel Java SDK, pointed at Lethe, with and without its gzip option. */
abstract class MixpanelSdkContract extends IngestTestBase {

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {false, true})
    void events_alias_profile_set_and_import_from_the_sdk_are_stored(boolean gzip) throws Exception {
        String base = server.baseUrl();
        MessageBuilder messages = new MessageBuilder(token);
        ClientDelivery delivery = new ClientDelivery();
        delivery.addMessage(messages.event("user-1", "Signed up", new JSONObject().put("plan", "pro + more")));
        delivery.addMessage(messages.event("user-1", "$create_alias", new JSONObject().put("alias", "anon-1")));
        delivery.addMessage(messages.set("user-1", new JSONObject().put("name", "Ann").put("$email", "ann@example.com")));
        delivery.addMessage(messages.importEvent("user-1", "Old purchase",
                new JSONObject().put("time", 1_600_000_000_000L).put("$insert_id", "imp-1")));

        // why: deliver throws MixpanelServerException unless every endpoint answers as Mixpanel does.
        try (MixpanelAPI api = new MixpanelAPI(base + "/track", base + "/engage", base + "/groups", base + "/import", gzip)) {
            api.deliver(delivery);
        }

        List<EventRecord> events = eventsOf("user-1");
        assertThat(events).extracting(EventRecord::event, EventRecord::source)
                .containsExactlyInAnyOrder(tuple("Signed up", "track"),
                        tuple("Old purchase", "import"));
        EventRecord signup = events.stream().filter(e -> e.event().equals("Signed up")).findFirst().orElseThrow();
        assertThat(props(signup).get("plan").asText()).isEqualTo("pro + more");
        assertThat(props(signup).has("token")).isFalse();
        EventRecord purchase = events.stream().filter(e -> e.event().equals("Old purchase")).findFirst().orElseThrow();
        assertThat(purchase.timeMs()).isEqualTo(1_600_000_000_000L);
        assertThat(purchase.insertId()).isEqualTo("imp-1");
        assertThat(server.app.resolver().resolve(projectId(), List.of("anon-1"))).containsExactly("anon-1", "user-1");
        assertThat(server.app.profiles().get(projectId(), "user-1").orElseThrow())
                .isEqualTo(Json.readTrusted("{\"name\":\"Ann\",\"$email\":\"ann@example.com\"}"));
    }
}
