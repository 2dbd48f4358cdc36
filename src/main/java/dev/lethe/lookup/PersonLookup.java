package dev.lethe.lookup;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.event.EventStore;
import dev.lethe.identity.PersonResolver;
import dev.lethe.profile.ProfileStore;
import dev.lethe.task.Task;
import dev.lethe.task.TaskKind;
import dev.lethe.task.TaskStatus;
import dev.lethe.task.TaskStore;
import dev.lethe.store.Database;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the console shows about a person before anyone acts: the ids linked to the given ones,
 * and how much Lethe holds for them. Every read goes through the person's own ids (the person
 * index, the profile key, the link graph), so its cost follows the person, not the store.
 */
public final class PersonLookup {

    /** What a deletion of {@code requested} would erase today. */
    public record Preview(List<String> requested, Set<String> linkedIds, long events, long profiles) {
    }

    /** One person as the lookup page shows them. */
    public record Person(String id, Set<String> linkedIds, long events, Long firstSeen, Long lastSeen,
                         Set<String> profileProperties, List<Task> openRequests) {
    }

    private final Database db;
    private final PersonResolver resolver;
    private final EventStore events;
    private final ProfileStore profiles;
    private final TaskStore tasks;

    public PersonLookup(Database db, PersonResolver resolver, EventStore events, ProfileStore profiles, TaskStore tasks) {
        this.db = db;
        this.resolver = resolver;
        this.events = events;
        this.profiles = profiles;
        this.tasks = tasks;
    }

    public Preview preview(long projectId, List<String> requested) {
        Set<String> linked = resolver.resolve(projectId, requested);
        long eventCount = events.count(projectId, linked);
        long profileCount = db.withConnection(c -> profiles.count(c, projectId, linked));
        return new Preview(List.copyOf(requested), linked, eventCount, profileCount);
    }

    public Person person(long projectId, String id) {
        Set<String> linked = resolver.resolve(projectId, List.of(id));
        long eventCount = events.count(projectId, linked);
        long[] span = events.timeSpan(projectId, linked);
        Set<String> properties = new TreeSet<>();
        profiles.forEach(projectId, linked, (distinctId, props) -> props.fieldNames().forEachRemaining(properties::add));
        return new Person(id, linked, eventCount, span == null ? null : span[0], span == null ? null : span[1], properties,
                openRequests(projectId, linked));
    }

    /**
     * The project's unfinished requests that name or cover one of these ids. Unfinished tasks are
     * bounded by the per-project queue cap, so reading them all stays small.
     */
    private List<Task> openRequests(long projectId, Collection<String> ids) {
        List<Task> out = new ArrayList<>();
        for (TaskKind kind : TaskKind.values()) {
            for (TaskStatus status : new TaskStatus[] {TaskStatus.PENDING, TaskStatus.STAGING, TaskStatus.STARTED}) {
                for (Task t : tasks.list(projectId, kind, status, null, 10_000)) {
                    if (touches(t.distinctIds(), ids) || touches(t.personIds(), ids)) {
                        out.add(t);
                    }
                }
            }
        }
        out.sort((a, b) -> Long.compare(b.id(), a.id()));
        return out;
    }

    private static boolean touches(List<String> taskIds, Collection<String> ids) {
        if (taskIds == null) {
            return false;
        }
        for (String id : taskIds) {
            if (ids.contains(id)) {
                return true;
            }
        }
        return false;
    }
}
