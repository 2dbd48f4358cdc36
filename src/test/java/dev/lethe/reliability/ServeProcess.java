package dev.lethe.reliability;

import dev.lethe.store.StoreConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code lethe serve} as a real child JVM on the test's class path, so it can be killed with
 * SIGKILL. Its stdout and stderr go to a log file the test can read.
 */
final class ServeProcess implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofSeconds(60);

    private final Process process;
    private final Http http;
    private final Path log;

    private ServeProcess(Process process, Http http, Path log) {
        this.process = process;
        this.http = http;
        this.log = log;
    }

    /** Starts serve on a free loopback port and returns once {@code /healthz} answers. */
    static ServeProcess start(StoreConfig store, Path log, String... extraArgs) {
        int port = freePort();
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                // why: a child that lives seconds starts faster and takes less CPU without C2, and with the serial
                // collector (~0.3 s of CPU less a start than G1, measured).
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), "dev.lethe.Lethe", "serve",
                "--host", "127.0.0.1", "--port", Integer.toString(port),
                "--data-dir", store.dataDir().toString(), "--store", store.kind().name().toLowerCase()));
        if (store.jdbcUrl() != null) {
            cmd.addAll(List.of("--jdbc-url", store.jdbcUrl(), "--db-user", store.dbUser()));
        }
        cmd.addAll(List.of(extraArgs));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        if (store.dbPassword() != null) {
            // why: the environment, not argv, so the password does not show in the process list.
            pb.environment().put("LETHE_DB_PASSWORD", store.dbPassword());
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ServeProcess serve = new ServeProcess(p, new Http("http://127.0.0.1:" + port), log);
        serve.awaitHealthy();
        return serve;
    }

    Http http() {
        return http;
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL: no shutdown hook, no graceful close of the store. */
    void kill() {
        process.destroyForcibly();
        awaitExit();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            awaitExit();
        }
    }

    private void awaitExit() {
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitHealthy() {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("lethe serve exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                if (http.get("/healthz").statusCode() == 200) {
                    return;
                }
            } catch (UncheckedIOException e) {
                // why: connection refused until the server has bound its port; polled until the deadline.
            }
            pause(Duration.ofMillis(100));
        }
        close();
        throw new AssertionError("lethe serve did not become healthy within " + STARTUP + ":\n" + log());
    }

    /** The pause between two polls of a real child process (the only waiting these tests do). */
    static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
