package dev.lethe.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.auth.TokenStore;
import dev.lethe.json.Json;
import dev.lethe.project.Project;
import dev.lethe.project.Region;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class DemoBannerTest {

    static final Instant NOW = Instant.parse("2026-11-28T09:15:02Z");
    static final Project PROJECT = new Project(7, DemoSeeder.PROJECT_NAME, "tok0123456789abcdefghijklmnopqrst", Region.EU, 0);
    static final TokenStore.Issued GDPR = new TokenStore.Issued("lgt_" + "a".repeat(40), NOW.plus(DemoSeeder.TOKEN_VALIDITY));
    static final String BASE = "http://localhost:8123";

    static String render(String apiSecret) {
        return DemoBanner.render(new DemoSeeder.Setup(PROJECT, apiSecret, DemoSeeder.OWNER_EMAIL, GDPR, "demo-console-password"), BASE, NOW);
    }

    static List<String> curls(String banner) {
        return banner.lines().filter(l -> l.startsWith("curl ")).toList();
    }

    static JsonNode data(String curl) {
        Matcher m = Pattern.compile("'data=([A-Za-z0-9+/=]+)'").matcher(curl);
        assertThat(m.find()).as(curl).isTrue();
        return Json.readTrusted(new String(Base64.getDecoder().decode(m.group(1)), StandardCharsets.UTF_8));
    }

    @Test
    void track_and_engage_carry_the_project_token_in_base64_data() {
        List<String> curls = curls(render(null));

        JsonNode event = data(curls.get(0));
        assertThat(curls.get(0)).startsWith("curl -s " + BASE + "/track ");
        assertThat(event.at("/properties/token").asText()).isEqualTo(PROJECT.token());
        assertThat(event.at("/properties/time").asLong()).isEqualTo(NOW.getEpochSecond());
        assertThat(event.at("/properties/$insert_id").asText()).isNotBlank();
        JsonNode engage = data(curls.get(1));
        assertThat(curls.get(1)).startsWith("curl -s " + BASE + "/engage ");
        assertThat(engage.get("$token").asText()).isEqualTo(PROJECT.token());
        assertThat(engage.get("$set").isObject()).isTrue();
    }

    @Test
    void the_api_secret_is_shown_on_the_first_run_only_and_later_imports_use_the_token() {
        String first = render("secret0123456789abcdefghijklmnopq");
        String later = render(null);

        assertThat(first).contains("api_secret:").contains("-u 'secret0123456789abcdefghijklmnopq:'");
        assertThat(later).doesNotContain("api_secret:").contains("-u '" + PROJECT.token() + ":'");
        assertThat(curls(later)).filteredOn(c -> c.contains("/import")).singleElement().satisfies(c -> {
            String body = c.substring(c.indexOf(" -d '") + 5, c.length() - 1);
            assertThat(Json.readTrusted(body).get(0).at("/properties/$insert_id").asText()).isNotBlank();
        });
    }

    @Test
    void gdpr_commands_use_the_bearer_token_and_the_project_token() {
        String banner = render(null);
        List<String> gdpr = curls(banner).stream().filter(c -> c.contains("/api/app/")).toList();

        assertThat(banner).contains("GDPR token:    " + GDPR.token()).contains("replace <tracking_id>");
        assertThat(gdpr).hasSize(5).allSatisfy(c -> assertThat(c)
                .contains("?token=" + PROJECT.token() + "'")
                .contains("-H 'Authorization: Bearer " + GDPR.token() + "'"));
        assertThat(gdpr.get(0)).contains("-X POST '" + BASE + "/api/app/data-retrievals/v3.0?token=")
                .contains("{\"distinct_ids\":[\"alice@example.com\"],\"compliance_type\":\"GDPR\"}");
        assertThat(gdpr.get(1)).contains(BASE + "/api/app/data-retrievals/v3.0/<tracking_id>?token=");
        assertThat(gdpr.get(2)).contains("-X POST '" + BASE + "/api/app/data-deletions/v3.0?token=")
                .contains("[\"dmitri-3e77\"]");
        assertThat(gdpr.get(3)).contains(BASE + "/api/app/data-deletions/v3.0/<tracking_id>?token=").doesNotContain("-X");
        assertThat(gdpr.get(4)).contains("-X DELETE '" + BASE + "/api/app/data-deletions/v3.0/<tracking_id>?token=");
    }

    @Test
    void shell_quoting_survives_a_single_quote() {
        assertThat(DemoBanner.quote("it's")).isEqualTo("'it'\\''s'");
    }
}
