package dev.lethe.retrieval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.event.EventRecord;
import dev.lethe.event.EventStore;
import dev.lethe.identity.PersonResolver;
import dev.lethe.profile.ProfileStore;
import dev.lethe.store.Database;

import java.util.Collection;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/** Reads a person's data for an export, streaming it row by row. */
public final class ExportReader {

    private final Database db;
    private final EventStore events;
    private final ProfileStore profiles;
    private final PersonResolver resolver;

    public ExportReader(Database db, EventStore events, ProfileStore profiles, PersonResolver resolver) {
        this.db = db;
        this.events = events;
        this.profiles = profiles;
        this.resolver = resolver;
    }

    void forEachEvent(Export x, Consumer<EventRecord> sink) {
        events.forEach(x.projectId(), x.ids(), x.fromMs() == null ? Long.MIN_VALUE : x.fromMs(), sink);
    }

    void forEachProfile(Export x, BiConsumer<String, JsonNode> sink) {
        profiles.forEach(x.projectId(), x.ids(), sink);
    }

    People people(long projectId, Collection<String> ids) {
        return db.withConnection(c -> People.group(c, resolver, projectId, ids));
    }
}
