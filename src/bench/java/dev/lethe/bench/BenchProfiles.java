package dev.lethe.bench;

import dev.lethe.app.LetheApp;

/** Stores the dataset's profiles (80% of people) through the profile store; setup, not timed. */
final class BenchProfiles {

    private static final int PER_TRANSACTION = 1000;

    private BenchProfiles() {
    }

    static void store(LetheApp app, long projectId, BenchDataset data) {
        long now = System.currentTimeMillis();
        for (int from = 0; from < data.people(); from += PER_TRANSACTION) {
            int start = from;
            int end = Math.min(data.people(), from + PER_TRANSACTION);
            app.db().inTransaction(c -> {
                for (int i = start; i < end; i++) {
                    if (BenchDataset.hasProfile(i)) {
                        int person = i;
                        app.profiles().update(c, projectId, data.personId(i), now, p -> p.setAll(data.profile(person)));
                    }
                }
                return null;
            });
        }
    }
}
