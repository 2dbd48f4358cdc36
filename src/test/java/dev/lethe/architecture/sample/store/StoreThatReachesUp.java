package dev.lethe.architecture.sample.store;

import dev.lethe.architecture.sample.web.SampleHandler;

/** Breaks the rule on purpose: a store class importing the web layer (an upward import and, with the handler below, a cycle). */
public final class StoreThatReachesUp {

    public static String save(String row) {
        return SampleHandler.render(row);
    }
}
