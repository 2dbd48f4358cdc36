package dev.lethe.project;

import java.util.Locale;

/** Data residency region; an instance serves exactly one. */
public enum Region {
    US, EU, IN;

    public static Region parse(String value) {
        try {
            return Region.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown region '" + value + "' (use US, EU or IN)");
        }
    }

    /** The Mixpanel-style API host of the region, used to tell clients where to go. */
    public String apiHost() {
        return switch (this) {
            case US -> "mixpanel.com";
            case EU -> "eu.mixpanel.com";
            case IN -> "in.mixpanel.com";
        };
    }
}
