package dev.lethe.query;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Event names, property names and Lexicon schemas, counted at ingestion; values are never kept. */
abstract class SchemaContract extends ReadApiTestBase {

    static final long T = ExportContract.NOV_1;

    @Test
    void event_names_come_most_frequent_first() {
        importEvents(event("Viewed", "u1", T + 1, "a"), event("Viewed", "u2", T + 2, "b"), event("Bought", "u1", T + 3, "c"));
        HttpResponse<String> r = described("GET", "/api/2.0/events/names",
                get("/api/2.0/events/names?type=general", secretAuth()));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r)).extracting(JsonNode::asText).containsExactly("Viewed", "Bought");
        assertThat(json(get("/api/query/events/names?limit=1", secretAuth()))).hasSize(1);
        assertThat(get("/api/2.0/events/names?type=weird", secretAuth()).statusCode()).isEqualTo(400);
    }

    @Test
    void top_properties_of_an_event_with_counts() {
        importEvents(event("Viewed", "u1", T + 1, "a", "page", "/", "ref", "x"), event("Viewed", "u2", T + 2, "b", "page", "/p"),
                event("Bought", "u1", T + 3, "c", "sku", "s1"));
        HttpResponse<String> r = described("GET", "/api/2.0/events/properties/top",
                get("/api/2.0/events/properties/top?event=Viewed", secretAuth()));
        JsonNode body = json(r);
        assertThat(body.get("page").get("count").asLong()).isEqualTo(2);
        assertThat(body.get("ref").get("count").asLong()).isEqualTo(1);
        assertThat(body.has("sku")).isFalse();
        assertThat(body.has("time")).isFalse();
        assertThat(body.has("distinct_id")).isFalse();
        assertThat(get("/api/2.0/events/properties/top", secretAuth()).statusCode()).isEqualTo(400);
    }

    @Test
    void profile_property_counts_follow_profiles_including_deletions() {
        setProfile("u1", "$email", "secret-1@example.com", "plan", "pro");
        setProfile("u2", "$email", "secret-2@example.com");
        HttpResponse<String> r = described("GET", "/api/2.0/engage/properties", get("/api/2.0/engage/properties", secretAuth()));
        assertThat(json(r).get("$email").get("count").asLong()).isEqualTo(2);
        assertThat(json(r).get("plan").get("count").asLong()).isEqualTo(1);
        deleteProfile("u1");
        JsonNode after = json(get("/api/2.0/engage/properties", secretAuth()));
        assertThat(after.get("$email").get("count").asLong()).isEqualTo(1);
        assertThat(after.has("plan")).as("a name no profile holds is removed").isFalse();
    }

    @Test
    void lexicon_schemas_list_events_and_profiles_with_types() {
        importEvents(event("Bought", "u1", T + 1, "a", "price", 9.5, "sku", "s1", "gift", true));
        setProfile("u1", "$email", "x@example.com");
        String base = "/api/app/projects/" + projectId() + "/schemas";
        HttpResponse<String> all = described("GET", base, get(base, secretAuth()));
        assertThat(all.statusCode()).isEqualTo(200);
        JsonNode results = json(all).get("results");
        assertThat(results).hasSize(2);
        JsonNode bought = results.get(0);
        assertThat(bought.get("entityType").asText()).isEqualTo("event");
        assertThat(bought.get("name").asText()).isEqualTo("Bought");
        JsonNode props = bought.get("schemaJson").get("properties");
        assertThat(props.get("price").get("type").asText()).isEqualTo("number");
        assertThat(props.get("sku").get("type").asText()).isEqualTo("string");
        assertThat(props.get("gift").get("type").asText()).isEqualTo("boolean");
        assertThat(results.get(1).get("name").asText()).isEqualTo("$user");
        HttpResponse<String> one = described("GET", base + "/{entityType}/{name}", get(base + "/event/Bought", secretAuth()));
        assertThat(json(one).get("results")).hasSize(1);
        assertThat(described("GET", base + "/{entityType}/{name}", get(base + "/event/Nope", secretAuth())).statusCode()).isEqualTo(404);
        assertThat(json(described("GET", base + "/{entityType}", get(base + "/profile", secretAuth()))).get("results")).hasSize(1);
        HttpResponse<String> write = described("POST", base, postForm(base, "", secretAuth()));
        assertThat(write.statusCode()).isEqualTo(501);
    }

    @Test
    void malformed_percent_encoding_is_a_400_not_every_schema() {
        importEvents(event("Bought", "u1", T + 1, "a", "price", 9.5));
        for (String bad : new String[] {"/api/app/projects/" + projectId() + "/schemas?entity_name=%ZZ",
                "/api/2.0/events/properties/top?event=%ZZ", "/api/2.0/events/names?limit=%ZZ"}) {
            RawResponse r = rawGet(bad, secretAuth());
            assertThat(r.status()).as(bad).isEqualTo(400);
            assertThat(r.body()).as(bad).contains("malformed percent-encoding in the query parameter");
        }
    }

    @Test
    void the_schema_tables_hold_names_and_types_never_values() {
        importEvents(event("Bought", "u1", T + 1, "a", "email", "value-1@example.com"));
        setProfile("u1", "$email", "value-2@example.com");
        for (String table : List.of("event_names", "event_properties", "profile_properties")) {
            assertThat(allText(table)).noneMatch(v -> v.contains("value-") || v.equals("u1"));
        }
    }

    private List<String> allText(String table) {
        return server.app.db().withConnection(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM " + table); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        out.add(String.valueOf(rs.getObject(i)));
                    }
                }
            }
            return out;
        });
    }
}
