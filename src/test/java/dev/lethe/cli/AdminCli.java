package dev.lethe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.Lethe;
import dev.lethe.json.Json;
import dev.lethe.store.StoreConfig;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs {@code lethe admin ...} in process against one store, capturing stdout and stderr. */
final class AdminCli {

    record Result(int exit, String out, String err) {
        /** The one JSON object a successful command prints; fails the test otherwise. */
        JsonNode json() {
            assertThat(exit).as("exit code; stderr: %s", err).isZero();
            assertThat(out.lines().count()).as("lines on stdout").isEqualTo(1);
            JsonNode node = Json.readTrusted(out);
            assertThat(node.isObject()).isTrue();
            return node;
        }
    }

    private final StoreConfig store;

    AdminCli(StoreConfig store) {
        this.store = store;
    }

    Result run(String... args) {
        List<String> all = new ArrayList<>(List.of("admin"));
        all.addAll(List.of(args));
        all.addAll(storeArgs());
        return runRaw(all.toArray(String[]::new));
    }

    /** Runs {@code lethe} with exactly these arguments (no store options added). */
    static Result runRaw(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Lethe.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    JsonNode ok(String... args) {
        return run(args).json();
    }

    private List<String> storeArgs() {
        List<String> args = new ArrayList<>(List.of("--data-dir", store.dataDir().toString(),
                "--store", store.kind().name().toLowerCase()));
        if (store.jdbcUrl() != null) {
            args.addAll(List.of("--jdbc-url", store.jdbcUrl()));
        }
        if (store.dbUser() != null) {
            args.addAll(List.of("--db-user", store.dbUser()));
        }
        if (store.dbPassword() != null) {
            args.addAll(List.of("--db-password", store.dbPassword()));
        }
        return args;
    }
}
