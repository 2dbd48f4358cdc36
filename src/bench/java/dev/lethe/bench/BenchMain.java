package dev.lethe.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the benchmark jar ({@code target/lethe-bench.jar}), which the {@code ./lethe}
 * launcher runs for {@code lethe bench}; the production jar does not contain the benchmark.
 */
@Command(name = "lethe", mixinStandardHelpOptions = true, version = "lethe 0.1.0",
        description = "Lethe's benchmark.", subcommands = {BenchCommand.class})
public final class BenchMain {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return new CommandLine(new BenchMain());
    }
}
