package dev.lethe.project;

import dev.lethe.domain.DomainException;

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

    /**
     * The region check of every API, for an instance serving this region: the project, if its
     * data lives here; else a refusal that names the instance to use instead.
     */
    public Project admit(Project project) {
        Region home = project.region();
        if (home != this) {
            throw DomainException.forbidden("project is in the " + home + " region; this instance serves " + this
                    + ": use the " + home + " instance (" + home.apiHost() + " for Mixpanel)");
        }
        return project;
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
