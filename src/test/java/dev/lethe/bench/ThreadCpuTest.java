package dev.lethe.bench;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The bench splits its process's CPU by what each thread does, and gives what ended threads took to the clients. */
class ThreadCpuTest {

    @Test
    void threads_are_told_apart_by_their_kernel_names() {
        assertThat(ThreadCpu.role("C2 CompilerThre")).isEqualTo(ThreadCpu.Role.JIT);
        assertThat(ThreadCpu.role("C1 CompilerThre")).isEqualTo(ThreadCpu.Role.JIT);
        assertThat(ThreadCpu.role("GC Thread#1")).isEqualTo(ThreadCpu.Role.JVM);
        assertThat(ThreadCpu.role("G1 Conc#0")).isEqualTo(ThreadCpu.Role.JVM);
        assertThat(ThreadCpu.role("VM Thread")).isEqualTo(ThreadCpu.Role.JVM);
        assertThat(ThreadCpu.role("java")).isEqualTo(ThreadCpu.Role.CLIENTS);
        assertThat(ThreadCpu.role("pool-7-thread-2")).isEqualTo(ThreadCpu.Role.CLIENTS);
        assertThat(ThreadCpu.role("bench-write-pro")).isEqualTo(ThreadCpu.Role.CLIENTS);
        assertThat(ThreadCpu.role("qtp1914301543-4")).isEqualTo(ThreadCpu.Role.SERVER);
        assertThat(ThreadCpu.role("lethe-worker-1")).isEqualTo(ThreadCpu.Role.SERVER);
        assertThat(ThreadCpu.role("lethe-sqlite:ho")).isEqualTo(ThreadCpu.Role.SERVER);
    }

    @Test
    void a_phase_counts_each_threads_growth_and_gives_what_ended_threads_took_to_the_clients() {
        ThreadCpu.Sample before = new ThreadCpu.Sample(Map.of("1", 2.0, "2", 1.0, "3", 0.5, "9", 4.0),
                Map.of("1", "qtp1-1", "2", "C2 CompilerThre", "3", "GC Thread#0", "9", "pool-1-thread-1"), 10.0);
        // thread 9 (a client pool's) ended; thread 4 started during the phase
        ThreadCpu.Sample after = new ThreadCpu.Sample(Map.of("1", 5.0, "2", 2.5, "3", 0.75, "4", 0.25),
                Map.of("1", "qtp1-1", "2", "C2 CompilerThre", "3", "GC Thread#0", "4", "lethe-worker-2"), 16.0);

        Map<ThreadCpu.Role, Double> byRole = ThreadCpu.between(before, after);

        assertThat(byRole.get(ThreadCpu.Role.SERVER)).isCloseTo(3.25, within(1e-9));
        assertThat(byRole.get(ThreadCpu.Role.JIT)).isCloseTo(1.5, within(1e-9));
        assertThat(byRole.get(ThreadCpu.Role.JVM)).isCloseTo(0.25, within(1e-9));
        assertThat(byRole.get(ThreadCpu.Role.CLIENTS)).as("the process's 6 s less the 5 s the live threads took")
                .isCloseTo(1.0, within(1e-9));
    }

    @Test
    void a_sample_of_this_process_reads_its_threads_on_linux() {
        ThreadCpu.Sample sample = ThreadCpu.take();
        assertThat(sample.processSeconds()).isPositive();
        if (java.nio.file.Files.isDirectory(java.nio.file.Path.of("/proc/self/task"))) {
            assertThat(sample.available()).isTrue();
            assertThat(sample.names().values()).anyMatch(n -> ThreadCpu.role(n) == ThreadCpu.Role.JIT);
            assertThat(sample.secondsByThread().values()).allMatch(v -> v >= 0);
        }
    }
}
