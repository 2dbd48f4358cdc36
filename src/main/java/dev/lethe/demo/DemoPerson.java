package dev.lethe.demo;

import java.util.List;

/**
 * One person of the demo: the id they are known by once signed in, an optional anonymous
 * device id (linked with {@code LinkKind.DEVICE}) and optional aliases (linked with
 * {@code LinkKind.ALIAS}), all of which resolve to the same person.
 */
public record DemoPerson(String name, String userId, String deviceId, List<String> aliases, Platform platform,
                         String city, String countryCode, String plan) {

    /** The cast: fixed, so the printed curl commands can name them. */
    public static final List<DemoPerson> ALL = List.of(
            new DemoPerson("Alice Martin", "alice-0f3a", "dev-7c1e9a4b", List.of("alice@example.com"),
                    Platform.WEB_CHROME, "Lyon", "FR", "premium"),
            new DemoPerson("Bruno Silva", "bruno-5b2d", "dev-a4f0d2c8", List.of(),
                    Platform.IOS, "Lisbon", "PT", "free"),
            new DemoPerson("Chiara Rossi", "chiara-91ce", null, List.of("chiara.rossi@example.it"),
                    Platform.ANDROID, "Milan", "IT", "premium"),
            new DemoPerson("Dmitri Volkov", "dmitri-3e77", null, List.of(),
                    Platform.WEB_FIREFOX, "Tallinn", "EE", "free"),
            new DemoPerson("Emeka Obi", "emeka-c210", "dev-19be55f0", List.of("emeka@example.ng"),
                    Platform.WEB_SAFARI, "Lagos", "NG", "team"),
            new DemoPerson("Farah Haddad", "farah-68d4", null, List.of(),
                    Platform.PYTHON, "Amman", "JO", "team"));

    public static DemoPerson byUserId(String userId) {
        return ALL.stream().filter(p -> p.userId.equals(userId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no demo person " + userId));
    }

    public String email() {
        return aliases.stream().filter(a -> a.contains("@")).findFirst()
                .orElse(userId.substring(0, userId.indexOf('-')) + "@example.org");
    }
}
