package dev.lethe.retrieval;

import java.util.Locale;

/** What a retrieval archive discloses. GDPR always discloses the data itself. */
enum DisclosureView {
    /** {@code events.jsonl} and {@code profiles.jsonl}: the values. */
    DATA("Data"),
    /** {@code categories.json}: per person, the names of what is held, not the values. */
    CATEGORIES("Categories"),
    /** {@code sources.json}: per person, the means by which the data was collected. */
    SOURCES("Sources");

    private final String wireName;

    DisclosureView(String wireName) {
        this.wireName = wireName;
    }

    String wireName() {
        return wireName;
    }

    static DisclosureView of(String complianceType, String disclosureType) {
        if (!"CCPA".equalsIgnoreCase(complianceType) || disclosureType == null) {
            return DATA;
        }
        return switch (disclosureType.toLowerCase(Locale.ROOT)) {
            case "categories" -> CATEGORIES;
            case "sources" -> SOURCES;
            case "data" -> DATA;
            default -> throw new IllegalArgumentException("unknown disclosure type");
        };
    }
}
