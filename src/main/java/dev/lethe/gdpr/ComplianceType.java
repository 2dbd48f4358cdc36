package dev.lethe.gdpr;

import dev.lethe.domain.DomainException;

import java.util.Locale;

/** The law a request is made under; accepted in any letter case, echoed in upper case. */
public enum ComplianceType {
    GDPR, CCPA;

    static ComplianceType parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw DomainException.invalidInput("unknown compliance_type: use GDPR or CCPA");
        }
    }
}
