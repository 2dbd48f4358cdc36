package dev.lethe.gdpr;

import dev.lethe.domain.DomainException;

import java.util.Locale;

/** What a CCPA retrieval discloses; accepted in any letter case, stored as Mixpanel spells it. */
public enum DisclosureType {
    DATA("Data"), CATEGORIES("Categories"), SOURCES("Sources");

    private final String wireName;

    DisclosureType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    static DisclosureType parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw DomainException.invalidInput("unknown disclosure_type: use Data, Categories or Sources");
        }
    }
}
