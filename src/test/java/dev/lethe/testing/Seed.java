package dev.lethe.testing;

import dev.lethe.app.LetheApp;
import dev.lethe.identity.LinkKind;

import java.util.Arrays;

/** Seeds a person's data through the real stores, as ingestion would. */
public final class Seed {

    private final LetheApp app;
    private final long projectId;

    public Seed(LetheApp app, long projectId) {
        this.app = app;
        this.projectId = projectId;
    }

    public Seed events(EventBuilder... events) {
        app.events().insert(projectId, Arrays.stream(events).map(EventBuilder::build).toList());
        return this;
    }

    /** {@code n} page views of this id, a millisecond apart. */
    public Seed manyEvents(String distinctId, int n) {
        EventBuilder[] events = new EventBuilder[n];
        for (int i = 0; i < n; i++) {
            events[i] = EventBuilder.event(distinctId).at(1_790_000_000_000L + i).prop("page", "/p/" + i);
        }
        return events(events);
    }

    /** Sets profile properties given as key, value, key, value... */
    public Seed profile(String distinctId, String... keyValues) {
        app.profiles().update(projectId, distinctId, app.clock().millis(), p -> {
            for (int i = 0; i < keyValues.length; i += 2) {
                p.put(keyValues[i], keyValues[i + 1]);
            }
            return p;
        });
        return this;
    }

    public Seed link(String a, String b, LinkKind kind) {
        app.links().link(projectId, a, b, kind, app.clock().millis());
        return this;
    }
}
