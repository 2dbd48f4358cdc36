package dev.lethe.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;
import java.util.stream.Stream;

/**
 * The CPU time of the PostgreSQL server's processes on this machine (backends, autovacuum, checkpointer, WAL writer),
 * read from {@code /proc} (Linux). A PostgreSQL deletion's work happens in its backends, which this JVM's CPU time
 * does not count; with them, the bench can weigh a deletion's whole CPU against the SQL baseline's whatever the
 * machine's speed, as it does on SQLite. Only for a server on the loopback interface, which is this machine.
 */
final class PostgresCpu {

    /** USER_HZ, as in {@link ThreadCpu}. */
    private static final double TICKS_PER_SECOND = 100;

    private PostgresCpu() {
    }

    /** Whether the server of this JDBC URL runs on this machine, where {@code /proc} shows its processes. */
    static boolean local(String jdbcUrl) {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql://") || !Files.isDirectory(Path.of("/proc"))) {
            return false;
        }
        String host = URI.create(jdbcUrl.substring("jdbc:".length())).getHost();
        return "127.0.0.1".equals(host) || "localhost".equals(host) || "[::1]".equals(host);
    }

    /**
     * The CPU seconds of every process named {@code postgres} so far, empty if none is found. The children's times
     * count too: a backend that exits is reaped by the postmaster, whose children's time then holds what the backend
     * spent, so the sum never goes back when a connection closes between two samples.
     */
    static OptionalDouble seconds() {
        double ticks = 0;
        boolean found = false;
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.toList()) {
                String name = p.getFileName().toString();
                if (name.isEmpty() || !Character.isDigit(name.charAt(0))) {
                    continue;
                }
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    int close = stat.lastIndexOf(')');
                    if (!"postgres".equals(stat.substring(stat.indexOf('(') + 1, close))) {
                        continue;
                    }
                    // why: utime, stime, cutime and cstime are the 12th to 15th fields after the name
                    String[] after = stat.substring(close + 2).split(" ");
                    ticks += Long.parseLong(after[11]) + Long.parseLong(after[12]) + Long.parseLong(after[13])
                            + Long.parseLong(after[14]);
                    found = true;
                } catch (IOException | RuntimeException e) {
                    // why: a process that ended while the folder was read has no stat any more
                }
            }
        } catch (IOException e) {
            return OptionalDouble.empty();
        }
        return found ? OptionalDouble.of(ticks / TICKS_PER_SECOND) : OptionalDouble.empty();
    }
}
