package dev.lethe.retrieval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.json.Json;
import dev.lethe.task.Task;
import dev.lethe.task.TaskRun;

import java.util.List;
import java.util.Map;

/**
 * One retrieval being written: what is exported (ids, window, view) and its running
 * counts. Progress is reported every {@link #PROGRESS_EVERY} events, which also keeps the
 * task's lease alive through a long export.
 */
final class Export {

    static final int PROGRESS_EVERY = 10_000;

    private final Task task;
    private final List<String> ids;
    private final Long fromMs;
    private final DisclosureView view;
    private final People people;
    private final TaskRun run;
    private final Map<String, String> howLinked;
    private long events;
    private long profiles;

    /** @param howLinked for each exported id, how the request reached it ("requested", "alias via alice", ...) */
    Export(Task task, List<String> ids, Map<String, String> howLinked, Long fromMs, DisclosureView view, People people,
           TaskRun run) {
        this.task = task;
        this.howLinked = howLinked;
        this.ids = ids;
        this.fromMs = fromMs;
        this.view = view;
        this.people = people;
        this.run = run;
    }

    Task task() {
        return task;
    }

    long projectId() {
        return task.projectId();
    }

    List<String> ids() {
        return ids;
    }

    Map<String, String> howLinked() {
        return howLinked;
    }

    /** The start of the exported window (epoch ms), or null for all of the person's events. */
    Long fromMs() {
        return fromMs;
    }

    DisclosureView view() {
        return view;
    }

    People people() {
        return people;
    }

    void countEvent() {
        events++;
        if (events % PROGRESS_EVERY == 0) {
            run.progress(counts());
        }
    }

    void countProfile() {
        profiles++;
    }

    ObjectNode counts() {
        ObjectNode counts = Json.object();
        counts.put("events", events);
        counts.put("profiles", profiles);
        counts.put("people", people.size());
        return counts;
    }
}
