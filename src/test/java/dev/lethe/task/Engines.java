package dev.lethe.task;

import dev.lethe.app.LetheApp;

import java.util.Map;

/** Task engines over a running app's store, with test executors, driven by {@code runOnce()}. */
public final class Engines {

    private Engines() {
    }

    public static TaskEngine over(LetheApp app, RecordingExecutor... executors) {
        Map<TaskKind, TaskExecutor> byKind = new java.util.EnumMap<>(TaskKind.class);
        for (RecordingExecutor e : executors) {
            byKind.put(e.kind(), e);
        }
        return new TaskEngine(new TaskClaims(app.db(), app.taskIdHashes()), byKind, app.clock(), app.config().lease(), app.activity(),
                app.metrics());
    }

    /** Runs polls until one finds nothing; returns how many found work. */
    public static int drain(TaskEngine engine) {
        int n = 0;
        while (engine.runOnce()) {
            n++;
        }
        return n;
    }
}
