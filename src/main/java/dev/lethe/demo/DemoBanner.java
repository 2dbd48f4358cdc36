package dev.lethe.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.json.Json;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.StringJoiner;

/**
 * The block {@code lethe serve --demo} prints: the demo's credentials and curl commands that
 * work as printed against the running server.
 */
public final class DemoBanner {

    static final DemoPerson TRACKED = DemoPerson.byUserId("alice-0f3a");
    static final DemoPerson ENGAGED = DemoPerson.byUserId("bruno-5b2d");
    static final DemoPerson RETRIEVED = DemoPerson.byUserId("alice-0f3a");
    static final DemoPerson DELETED = DemoPerson.byUserId("dmitri-3e77");

    private DemoBanner() {
    }

    public static String render(DemoSeeder.Setup setup, String baseUrl, Instant now) {
        String token = setup.project().token();
        String bearer = "-H " + quote("Authorization: Bearer " + setup.token().token());
        String retrievals = baseUrl + "/api/app/data-retrievals/v3.0";
        String deletions = baseUrl + "/api/app/data-deletions/v3.0";
        long nowSeconds = now.getEpochSecond();
        StringJoiner out = new StringJoiner("\n", "\n", "\n");
        out.add("==================== Lethe demo ====================");
        out.add("Project \"" + setup.project().name() + "\": id " + setup.project().id() + ", region " + setup.project().region()
                + (setup.createdNow() ? " (created now with sample data)" : " (already there; sample data not re-added)"));
        out.add("  project token: " + token);
        if (setup.createdNow()) {
            out.add("  api_secret:    " + setup.apiSecret() + "   (shown only now; keep it for /import)");
        }
        out.add("  GDPR token:    " + setup.token().token() + "   (owner " + setup.ownerEmail() + ", valid until "
                + setup.token().expiresAt() + "; every --demo start issues a new one)");
        out.add("  people: " + people());
        out.add("");
        out.add("Privacy console: " + baseUrl + "/");
        out.add("  sign in as " + setup.ownerEmail() + " with password " + setup.consolePassword()
                + "   (a new one every --demo start)");
        out.add("");
        out.add("# Send an event to /track (base64 data=, as the SDKs do)");
        ObjectNode event = Json.object().put("event", "Demo Curl Event");
        event.putObject("properties").put("token", token).put("distinct_id", TRACKED.userId()).put("time", nowSeconds)
                .put("$insert_id", "curl-track-" + nowSeconds).put("mp_lib", "curl");
        out.add("curl -s " + baseUrl + "/track --data-urlencode " + quote("data=" + base64(event)));
        out.add("# Set profile properties with /engage $set");
        ObjectNode engage = Json.object().put("$token", token).put("$distinct_id", ENGAGED.userId());
        engage.putObject("$set").put("plan", "premium").put("$city", "Porto");
        out.add("curl -s " + baseUrl + "/engage --data-urlencode " + quote("data=" + base64(engage)));
        out.add(setup.createdNow()
                ? "# Import a past event with /import (HTTP Basic: the api_secret as user, empty password)"
                : "# Import a past event with /import (HTTP Basic: the project token as user, empty password)");
        ObjectNode imported = Json.object().put("event", "Invoice Paid");
        long monthAgo = now.minus(Duration.ofDays(30)).getEpochSecond();
        imported.putObject("properties").put("distinct_id", DELETED.userId()).put("time", monthAgo)
                .put("$insert_id", "curl-import-" + monthAgo).put("amount", 49).put("currency", "EUR");
        String user = setup.createdNow() ? setup.apiSecret() : token;
        out.add("curl -s -u " + quote(user + ":") + " -H 'Content-Type: application/json' " + quote(baseUrl + "/import?strict=1")
                + " -d " + quote("[" + Json.write(imported) + "]"));
        out.add("");
        out.add("# GDPR: retrieve everything about " + RETRIEVED.name() + ", asked by her alias (her user and device ids come along)");
        out.add("curl -s -X POST " + quote(retrievals + "?token=" + token) + " " + bearer + " -H 'Content-Type: application/json' -d "
                + quote(Json.write(body(RETRIEVED.aliases().get(0)))));
        out.add("# Check it: replace <tracking_id> with results.tracking_id from the answer above; the download link is in results.results");
        out.add("curl -s " + quote(retrievals + "/<tracking_id>?token=" + token) + " " + bearer);
        out.add("# GDPR: delete " + DELETED.name());
        out.add("curl -s -X POST " + quote(deletions + "?token=" + token) + " " + bearer + " -H 'Content-Type: application/json' -d "
                + quote(Json.write(body(DELETED.userId()))));
        out.add("# Check it (replace <tracking_id> with the one the deletion returned)");
        out.add("curl -s " + quote(deletions + "/<tracking_id>?token=" + token) + " " + bearer);
        out.add("# Cancel it (204 while PENDING or STAGING, 405 once it has started)");
        out.add("curl -s -i -X DELETE " + quote(deletions + "/<tracking_id>?token=" + token) + " " + bearer);
        out.add("====================================================");
        return out.toString();
    }

    private static ObjectNode body(String distinctId) {
        ObjectNode body = Json.object();
        body.putArray("distinct_ids").add(distinctId);
        body.put("compliance_type", "GDPR");
        return body;
    }

    private static String people() {
        StringJoiner all = new StringJoiner(", ");
        for (DemoPerson p : DemoPerson.ALL) {
            StringJoiner linked = new StringJoiner(", ", " (", ")").setEmptyValue("");
            if (p.deviceId() != null) {
                linked.add("device " + p.deviceId());
            }
            p.aliases().forEach(a -> linked.add("alias " + a));
            all.add(p.userId() + linked);
        }
        return all.toString();
    }

    static String base64(ObjectNode json) {
        return Base64.getEncoder().encodeToString(Json.write(json).getBytes(StandardCharsets.UTF_8));
    }

    /** Single-quotes for a POSIX shell, so JSON with {@code $} and quotes pastes as is. */
    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
