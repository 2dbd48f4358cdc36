package dev.lethe.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.json.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * A deterministic synthetic dataset: Zipf-distributed activity per person (exponent 1.05, so
 * with 1,000,000 events over 20,000 people the heaviest person has about 120,000), about 15
 * properties (about 500 bytes) per event, times spread over two years, 10% of people linked
 * by alias or device id, profiles for 80%. The same seed gives the same bytes.
 */
public final class BenchDataset {

    static final double ZIPF_EXPONENT = 1.05;
    static final long TWO_YEARS_MS = 2L * 365 * 24 * 3600 * 1000;
    private static final String[] EVENTS = {"Page View", "Sign Up", "Login", "Add To Cart", "Purchase", "Search",
            "Share", "Video Play", "Checkout Started", "Item Viewed", "Settings Changed", "Logout"};
    private static final String[] BROWSERS = {"Chrome", "Firefox", "Safari", "Edge", "Mobile Safari"};
    private static final String[] OSES = {"Windows", "Mac OS X", "Linux", "iOS", "Android"};
    private static final String[] LIBS = {"web", "mixpanel-java", "mixpanel-node", "iphone", "android"};
    private static final String[] CITIES = {"Berlin", "Paris", "Lisbon", "Austin", "Pune", "Osaka", "Toronto", "Lagos"};

    private final long events;
    private final int people;
    private final long seed;
    private final long endMs;
    private final String prefix;
    private final double[] cumulative;

    public BenchDataset(long events, int people, long seed, long endMs) {
        this(events, people, seed, endMs, "user-");
    }

    /** @param prefix what the ids of this dataset's people start with, so two datasets never share a person */
    public BenchDataset(long events, int people, long seed, long endMs, String prefix) {
        if (people < 1 || events < 0) {
            throw new IllegalArgumentException("need at least one person and a non-negative event count");
        }
        this.events = events;
        this.people = people;
        this.seed = seed;
        this.endMs = endMs;
        this.prefix = prefix;
        this.cumulative = zipfCumulative(people);
    }

    private static double[] zipfCumulative(int n) {
        double[] c = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += 1.0 / Math.pow(i + 1, ZIPF_EXPONENT);
            c[i] = sum;
        }
        for (int i = 0; i < n; i++) {
            c[i] /= sum;
        }
        return c;
    }

    public long events() {
        return events;
    }

    public int people() {
        return people;
    }

    /** The canonical id of person i; person 0 is the heaviest. */
    public String personId(int i) {
        return prefix + i;
    }

    /** Every tenth person has a second id: an alias (even persons) or a device (odd ones). */
    public static boolean isLinked(int i) {
        return i % 10 == 3;
    }

    /**
     * The second id: an alias, or the anonymous id a browser or mobile SDK gives a device, {@code $device:<uuid>}
     * (the SDKs send the bare uuid as {@code $device_id}; see docs/identity.md).
     */
    public String secondId(int i) {
        return i % 20 == 3 ? "alias-" + prefix + i : "$device:" + deviceId(i);
    }

    /** A UUID-shaped device id, as the SDKs generate, the same for the same seed, prefix and person. */
    String deviceId(int i) {
        SplittableRandom r = new SplittableRandom(seed * 31 + prefix.hashCode() * 17L + i);
        return String.format("%08x-%04x-4%03x-a%03x-%012x", r.nextInt() & 0xffffffffL, r.nextInt(0x10000), r.nextInt(0x1000),
                r.nextInt(0x1000), r.nextLong() & 0xffffffffffffL);
    }

    /** Every id of person i, as a caller who knows the person would list them. */
    public List<String> ids(int i) {
        return isLinked(i) ? List.of(personId(i), secondId(i)) : List.of(personId(i));
    }

    /** Persons 0..n with a profile: 80% of them. */
    public static boolean hasProfile(int i) {
        return i % 5 != 4;
    }

    /** The person an event index belongs to (inverse-CDF sampling). */
    private int samplePerson(SplittableRandom random) {
        double u = random.nextDouble();
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] < u) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Expected events of person i. */
    public double expectedEvents(int i) {
        double prev = i == 0 ? 0 : cumulative[i - 1];
        return (cumulative[i] - prev) * events;
    }

    /**
     * Calls the sink with every event, in Mixpanel raw-export shape
     * ({@code {"event": ..., "properties": {...}}}), in a deterministic order.
     */
    public void forEachEvent(Consumer<ObjectNode> sink) {
        SplittableRandom random = new SplittableRandom(seed);
        for (long n = 0; n < events; n++) {
            int person = samplePerson(random);
            sink.accept(event(n, person, random));
        }
    }

    /**
     * Calls the sink with the events that link every linked person's second id to the person
     * through the ingestion path: {@code $create_alias} for aliases, an event carrying both
     * {@code $device_id} and {@code $user_id} for devices.
     */
    public void forEachLinkEvent(Consumer<ObjectNode> sink) {
        for (int i = 0; i < people; i++) {
            if (!isLinked(i)) {
                continue;
            }
            ObjectNode e = Json.object();
            ObjectNode p;
            if (secondId(i).startsWith("alias-")) {
                e.put("event", "$create_alias");
                p = e.putObject("properties");
                p.put("distinct_id", personId(i));
                p.put("alias", secondId(i));
            } else {
                e.put("event", "App Open");
                p = e.putObject("properties");
                p.put("distinct_id", personId(i));
                p.put("$device_id", deviceId(i));
                p.put("$user_id", personId(i));
            }
            p.put("time", endMs - TWO_YEARS_MS);
            p.put("$insert_id", "l" + seed + "-" + i);
            sink.accept(e);
        }
    }

    /** {@code count} events all of one person {@code id}, e.g. the one very heavy person of the big store. */
    public void forEachEventOf(String id, long count, Consumer<ObjectNode> sink) {
        SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        for (long n = 0; n < count; n++) {
            ObjectNode e = event(n, -1, random);
            ((ObjectNode) e.get("properties")).put("distinct_id", id);
            ((ObjectNode) e.get("properties")).put("$insert_id", "h" + seed + "-" + n);
            sink.accept(e);
        }
    }

    private ObjectNode event(long n, int person, SplittableRandom r) {
        ObjectNode e = Json.object();
        e.put("event", EVENTS[r.nextInt(EVENTS.length)]);
        ObjectNode p = e.putObject("properties");
        // why: linked people send part of their events under their second id, so a deletion
        // must follow the link to be complete.
        boolean underSecond = person >= 0 && isLinked(person) && r.nextInt(3) == 0;
        p.put("distinct_id", person < 0 ? "" : underSecond ? secondId(person) : personId(person));
        p.put("time", endMs - (long) (r.nextDouble() * TWO_YEARS_MS));
        p.put("$insert_id", "b" + seed + "-" + n);
        p.put("$browser", BROWSERS[r.nextInt(BROWSERS.length)]);
        p.put("$os", OSES[r.nextInt(OSES.length)]);
        p.put("$lib", LIBS[r.nextInt(LIBS.length)]);
        p.put("$lib_version", "2." + r.nextInt(60) + "." + r.nextInt(10));
        p.put("$city", CITIES[r.nextInt(CITIES.length)]);
        p.put("mp_country_code", "DE");
        p.put("$screen_width", 1024 + r.nextInt(1024));
        p.put("$screen_height", 600 + r.nextInt(800));
        p.put("$current_url", "https://shop.example.com/catalog/category-" + r.nextInt(500) + "/item-" + r.nextInt(100_000)
                + "?utm_source=newsletter&utm_medium=email&utm_campaign=autumn-sale-" + r.nextInt(40));
        p.put("$referrer", "https://www.example.org/search?q=" + Long.toHexString(r.nextLong()));
        p.put("plan", r.nextInt(4) == 0 ? "premium" : "free");
        p.put("item_id", "sku-" + r.nextInt(1_000_000));
        p.put("price", r.nextInt(100_000) / 100.0);
        p.put("session_id", Long.toHexString(r.nextLong()) + Long.toHexString(r.nextLong()));
        p.put("experiment", "exp-" + r.nextInt(20) + (r.nextBoolean() ? "-control" : "-variant"));
        return e;
    }

    /** Profile properties of person i (call only when {@link #hasProfile}). */
    public ObjectNode profile(int i) {
        SplittableRandom r = new SplittableRandom(seed * 31 + i);
        ObjectNode p = Json.object();
        p.put("$name", "Person " + i);
        p.put("$email", "person" + i + "@example.com");
        p.put("plan", r.nextBoolean() ? "premium" : "free");
        p.put("$city", CITIES[r.nextInt(CITIES.length)]);
        p.put("signup_ms", endMs - (long) (r.nextDouble() * TWO_YEARS_MS));
        return p;
    }

    /** {@code count} distinct people chosen at random (seeded) from all people. */
    public List<Integer> samplePeople(int count, long sampleSeed) {
        if (count > people) {
            throw new IllegalArgumentException("cannot pick " + count + " of " + people + " people");
        }
        SplittableRandom r = new SplittableRandom(sampleSeed);
        int[] all = new int[people];
        for (int i = 0; i < people; i++) {
            all[i] = i;
        }
        List<Integer> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int j = i + r.nextInt(people - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
            out.add(all[i]);
        }
        return out;
    }
}
