package dev.lethe.bench;

/**
 * What one run does.
 *
 * @param importEvents   events sent through /import for figure (a), into a project of their own
 * @param statusRequests status GETs of figure (d)
 */
record BenchSettings(long events, int people, long seed, int targets, int scale, boolean skipScale, int clients,
                     long importEvents, int statusRequests) {

    BenchSettings {
        if (events < 1 || people < 1 || targets < 1 || scale < 1 || clients < 1) {
            throw new IllegalArgumentException("events, people, targets, scale and clients must be at least 1");
        }
        if (2L * targets > people) {
            throw new IllegalArgumentException("--targets " + targets + " needs at least " + 2 * targets
                    + " people: deletions and retrievals target different people");
        }
    }

    /** The one person of the big store with as many events as the whole 1x store, when it is at least 10x. */
    long heavyEvents() {
        return scale >= 10 ? events : 0;
    }
}
