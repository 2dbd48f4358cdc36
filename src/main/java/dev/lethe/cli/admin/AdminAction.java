package dev.lethe.cli.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.cli.StoreOptions;
import dev.lethe.json.Json;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;

/**
 * One admin command: opens the store, runs, prints ONE JSON object on stdout. Any failure is
 * a one-line message on stderr with exit code 1 and nothing on stdout, never a stack trace.
 */
abstract class AdminAction implements Callable<Integer> {

    static final int FAILED = 1;

    @Mixin
    StoreOptions store;

    @Spec
    CommandSpec spec;

    /** Does the work and returns the JSON object to print. */
    abstract ObjectNode run(AdminContext admin);

    @Override
    public final Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        ObjectNode result;
        try (AdminContext admin = AdminContext.open(store.toConfig(), Clock.systemUTC())) {
            result = run(admin);
        } catch (AdminException | IllegalArgumentException e) {
            err.println(spec.qualifiedName() + ": " + e.getMessage());
            err.flush();
            return FAILED;
        } catch (RuntimeException e) {
            // why: a store that is unreachable or refuses a statement is not the operator's
            // typo, but a CLI still answers with a message, not a trace; the cause class helps.
            err.println(spec.qualifiedName() + ": store failure: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            err.flush();
            return FAILED;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(Json.write(result));
        out.flush();
        return 0;
    }

    static ObjectNode json() {
        return Json.object();
    }
}
