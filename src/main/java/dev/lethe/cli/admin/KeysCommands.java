package dev.lethe.cli.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.JWK;
import dev.lethe.cli.StoreOptions;
import dev.lethe.crypto.SigningKeys;
import dev.lethe.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.concurrent.Callable;

/** {@code lethe admin keys rotate}: the keys that sign erasure certificates (docs/operations.md). */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Manage the keys that sign erasure certificates.",
        subcommands = {KeysCommands.Rotate.class})
final class KeysCommands {

    private KeysCommands() {
    }

    /** Works on the data directory alone: the keys are a file there, not rows of the store. */
    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = "Make a new Ed25519 signing key current. Earlier keys stay published (public part only), so the "
                    + "certificates they signed still verify; running servers sign with the new key from their next certificate. "
                    + "Prints the new key id and every published key id.")
    static final class Rotate implements Callable<Integer> {

        @Mixin
        StoreOptions store;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            ObjectNode result = Json.object();
            try {
                SigningKeys keys = SigningKeys.loadOrCreate(store.toConfig().dataDir(), Clock.systemUTC());
                result.put("current_kid", keys.rotate());
                ArrayNode published = result.putArray("published_kids");
                for (JWK key : keys.publicKeys().getKeys()) {
                    published.add(key.getKeyID());
                }
            } catch (IllegalStateException | IllegalArgumentException | UncheckedIOException e) {
                PrintWriter err = spec.commandLine().getErr();
                err.println(spec.qualifiedName() + ": " + e.getMessage());
                err.flush();
                return AdminAction.FAILED;
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println(Json.write(result));
            out.flush();
            return 0;
        }
    }
}
