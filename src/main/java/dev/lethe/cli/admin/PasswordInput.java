package dev.lethe.cli.admin;

import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Where an admin command reads a console password from: the environment variable named by
 * {@code --password-env}, else the first line of standard input (typed without echo on a
 * terminal). Never a command-line argument, which other users of the host can read in ps.
 */
final class PasswordInput {

    @Option(names = "--password-env", paramLabel = "NAME",
            description = "Read the password from this environment variable instead of standard input")
    String env;

    String read(String prompt) {
        if (env != null) {
            String value = System.getenv(env);
            if (value == null || value.isEmpty()) {
                throw new AdminException("environment variable " + env + " is not set");
            }
            return value;
        }
        Console console = System.console();
        if (console != null) {
            char[] typed = console.readPassword("%s", prompt);
            if (typed == null) {
                throw new AdminException("no password given");
            }
            return new String(typed);
        }
        try {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (line == null || line.isEmpty()) {
                throw new AdminException("no password on standard input");
            }
            return line;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
