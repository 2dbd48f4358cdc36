package dev.lethe.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.event.EventRecord;
import dev.lethe.json.Json;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The demo's sample events, generated from a fixed seed: the same anchor time always gives
 * the same events. They spread over the ~18 months before the anchor, so a CCPA request
 * (last 12 months) returns visibly fewer events than a GDPR one.
 */
final class DemoEvents {

    static final long SEED = 20_260_101L;
    static final int EVENTS_PER_PERSON = 55;
    static final Duration SPAN = Duration.ofDays(540);

    private static final String[] PAGES = {"/", "/pricing", "/docs", "/blog/privacy-by-design", "/account", "/checkout"};
    private static final String[] PRODUCTS = {"Noise-cancelling headphones", "Trail shoes", "Espresso grinder", "Desk lamp"};
    private static final String[] CAMPAIGNS = {"spring-sale", "product-update-q3", "win-back"};

    private DemoEvents() {
    }

    static List<EventRecord> generate(long anchorMs) {
        Random random = new Random(SEED);
        List<EventRecord> out = new ArrayList<>();
        for (DemoPerson person : DemoPerson.ALL) {
            long[] times = random.longs(EVENTS_PER_PERSON, anchorMs - SPAN.toMillis(), anchorMs).sorted().toArray();
            // why: the first quarter happens before sign-in, under the anonymous device id, so
            // deleting the person must follow the device link to find them.
            int anonymous = person.deviceId() == null ? 0 : EVENTS_PER_PERSON / 4;
            for (int i = 0; i < times.length; i++) {
                String distinctId = i < anonymous ? person.deviceId() : person.userId();
                String name = i == anonymous ? "Sign Up" : pick(random, eventNames(person.platform()));
                if (!person.aliases().isEmpty() && i > anonymous && random.nextInt(6) == 0) {
                    // why: back-end mail events are keyed by email, the person's alias.
                    distinctId = person.aliases().get(0);
                    name = "Email Opened";
                }
                out.add(event(random, person, distinctId, name, times[i], i >= anonymous));
            }
        }
        return out;
    }

    private static EventRecord event(Random random, DemoPerson person, String distinctId, String name, long timeMs,
                                     boolean signedIn) {
        Platform platform = person.platform();
        ObjectNode p = Json.object();
        p.put("distinct_id", distinctId);
        p.put("time", timeMs / 1000);
        String insertId = String.format("demo-%016x", random.nextLong());
        p.put("$insert_id", insertId);
        p.put("mp_lib", platform.lib);
        p.put("$lib", platform.lib);
        p.put("$lib_version", platform.libVersion);
        if (platform.os != null) {
            p.put("$os", platform.os);
        }
        if (platform.browser != null) {
            p.put("$browser", platform.browser);
        }
        p.put("$city", person.city());
        p.put("mp_country_code", person.countryCode());
        if (person.deviceId() != null && !name.equals("Email Opened")) {
            p.put("$device_id", person.deviceId());
            if (signedIn) {
                p.put("$user_id", person.userId());
            }
        }
        switch (name) {
            case "Page Viewed" -> p.put("$current_url", "https://shop.example.com" + pick(random, PAGES));
            case "Search" -> p.put("query", pick(random, PRODUCTS).split(" ")[0].toLowerCase());
            case "Product Viewed", "Add To Cart" -> p.put("product", pick(random, PRODUCTS)).put("price", 20 + random.nextInt(180));
            case "Checkout Completed" -> p.put("order_id", "ord-" + (10_000 + random.nextInt(90_000)))
                    .put("amount", 20 + random.nextInt(400)).put("currency", "EUR");
            case "Email Opened" -> p.put("campaign", pick(random, CAMPAIGNS));
            case "Invoice Paid" -> p.put("amount", 49 + random.nextInt(3) * 50).put("currency", "EUR");
            default -> { }
        }
        return new EventRecord(distinctId, name, timeMs, insertId, platform.source, Json.write(p), timeMs);
    }

    private static String[] eventNames(Platform platform) {
        if (platform == Platform.PYTHON) {
            return new String[] {"Invoice Paid", "Subscription Renewed", "API Key Created", "Login"};
        }
        return platform.isWeb()
                ? new String[] {"Page Viewed", "Page Viewed", "Search", "Product Viewed", "Add To Cart", "Checkout Completed", "Login"}
                : new String[] {"App Opened", "App Opened", "Search", "Product Viewed", "Add To Cart", "Checkout Completed"};
    }

    private static String pick(Random random, String[] values) {
        return values[random.nextInt(values.length)];
    }
}
