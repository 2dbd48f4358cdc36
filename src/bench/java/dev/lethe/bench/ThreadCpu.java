package dev.lethe.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The CPU time of this JVM's threads by what they do, read from {@code /proc/self/task} (Linux): the server's threads,
 * the bench's clients, the JIT compiler, and the JVM's own (garbage collector, VM). The bench runs server and clients in
 * one process on the same cores, so its process CPU mixes them; this splits it, so a figure can compare the server's
 * work with the SQL baseline's whatever the machine's speed at the time, and whatever the compiler is still compiling.
 */
final class ThreadCpu {

    /** What a thread does. */
    enum Role { SERVER, CLIENTS, JIT, JVM }

    /** The kernel's clock ticks a second for {@code /proc}'s CPU times (USER_HZ, 100 on Linux's architectures). */
    private static final double TICKS_PER_SECOND = 100;

    /** Each thread's name and CPU seconds, and the process's CPU seconds, at one moment; empty off Linux. */
    record Sample(Map<String, Double> secondsByThread, Map<String, String> names, double processSeconds) {
        boolean available() {
            return !secondsByThread.isEmpty();
        }
    }

    private ThreadCpu() {
    }

    static Sample take() {
        Map<String, Double> seconds = new HashMap<>();
        Map<String, String> names = new HashMap<>();
        double process = IngestRunner.processCpuSeconds();
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return new Sample(Map.of(), Map.of(), process);
        }
        try (Stream<Path> list = Files.list(tasks)) {
            for (Path task : list.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    // why: the name, in parentheses, may hold spaces; utime and stime are the 12th and 13th fields after it
                    int close = stat.lastIndexOf(')');
                    String[] after = stat.substring(close + 2).split(" ");
                    double ticks = Long.parseLong(after[11]) + Long.parseLong(after[12]);
                    String id = task.getFileName().toString();
                    seconds.put(id, ticks / TICKS_PER_SECOND);
                    names.put(id, stat.substring(stat.indexOf('(') + 1, close));
                } catch (IOException | RuntimeException e) {
                    // why: a thread that ended while the folder was read has no stat any more
                }
            }
        } catch (IOException e) {
            return new Sample(Map.of(), Map.of(), process);
        }
        return new Sample(seconds, names, process);
    }

    /**
     * CPU seconds by role between two samples. A thread that ended in between took CPU that only the process's total
     * still counts: what the total holds beyond the threads is given to the clients, whose pools
     * ({@link Parallel#forEach}) are the threads that start and end within a phase.
     */
    static Map<Role, Double> between(Sample before, Sample after) {
        Map<Role, Double> out = new EnumMap<>(Role.class);
        for (Role r : Role.values()) {
            out.put(r, 0.0);
        }
        double counted = 0;
        for (Map.Entry<String, Double> t : after.secondsByThread().entrySet()) {
            double spent = t.getValue() - before.secondsByThread().getOrDefault(t.getKey(), 0.0);
            out.merge(role(after.names().get(t.getKey())), spent, Double::sum);
            counted += spent;
        }
        double ended = Math.max(0, after.processSeconds() - before.processSeconds() - counted);
        out.merge(Role.CLIENTS, ended, Double::sum);
        return out;
    }

    /** {@link #between} in milliseconds for each of {@code items} (a deletion each, say). */
    static Map<Role, Double> msEach(Sample before, Sample after, int items) {
        Map<Role, Double> out = between(before, after);
        out.replaceAll((role, seconds) -> seconds * 1000 / items);
        return out;
    }

    /** A thread's role by its name as the kernel keeps it (at most 15 characters). */
    static Role role(String name) {
        if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
            return Role.JIT;
        }
        if (name.startsWith("GC Thread") || name.startsWith("G1 ") || name.startsWith("VM ") || name.equals("Sweeper thread")
                || name.equals("Reference Handl") || name.equals("Finalizer") || name.equals("Common-Cleaner")
                || name.equals("Service Thread") || name.equals("Monitor Deflati") || name.equals("Notification Th")
                || name.equals("Signal Dispatch")) {
            return Role.JVM;
        }
        // why: the bench's main thread (named after the launcher) creates tasks and polls; its pools and probes are
        // the other clients, and HttpURLConnection's keep-alive timer is theirs too
        if (name.equals("java") || name.equals("main") || name.startsWith("pool-") || name.startsWith("bench-")
                || name.equals("Keep-Alive-Time")) {
            return Role.CLIENTS;
        }
        return Role.SERVER;
    }
}
