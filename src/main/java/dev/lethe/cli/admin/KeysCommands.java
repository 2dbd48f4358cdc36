package dev.lethe.cli.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.JWK;
import dev.lethe.cli.StoreOptions;
import dev.lethe.crypto.SigningKeys;
import dev.lethe.json.Json;
import dev.lethe.store.Keystore;
import dev.lethe.store.StoreConfig;
import dev.lethe.store.StoreKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.concurrent.Callable;

/**
 * {@code lethe admin keys rotate}: the keys that sign erasure certificates, and the key that wraps the keystore's
 * bucket keys (docs/operations.md).
 */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "Manage the keys that sign erasure certificates and the key that wraps the keystore's bucket keys.",
        subcommands = {KeysCommands.Rotate.class})
final class KeysCommands {

    private KeysCommands() {
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = "Make a new Ed25519 signing key current. Earlier keys stay published (public part only), so the "
                    + "certificates they signed still verify; running servers sign with the new key from their next certificate. "
                    + "Then, when the data directory has a store (or --store postgres names one), wrap the keystore's 4,096 "
                    + "bucket keys with a new key-encryption key and remove the older ones from keystore.keyring; running "
                    + "servers use the new one without a restart. Prints the new signing key id, every published key id, the "
                    + "new KEK id, how many bucket keys were rewrapped and which KEKs were removed.")
    static final class Rotate implements Callable<Integer> {

        @Mixin
        StoreOptions store;

        @Option(names = "--only", paramLabel = "signing|wrapping",
                description = "Rotate only the certificate signing key, or only the keystore's wrapping key (default: both). "
                        + "--only wrapping also finishes a wrapping key rotation that was stopped part-way.")
        String only;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            ObjectNode result = Json.object();
            try {
                boolean signing = only == null || only.equals("signing");
                boolean wrapping = only == null || only.equals("wrapping");
                if (!signing && !wrapping) {
                    throw new IllegalArgumentException("--only takes signing or wrapping, not " + only);
                }
                StoreConfig config = store.toConfig();
                boolean hasStore = config.kind() == StoreKind.POSTGRES || Files.exists(config.sqliteFile());
                if (wrapping && !hasStore && !signing) {
                    throw new IllegalArgumentException("no store in " + config.dataDir() + " (no " + config.sqliteFile().getFileName()
                            + "; for PostgreSQL give --store postgres and --jdbc-url)");
                }
                // why: opened before any key changes, so a store that does not open fails the command with nothing rotated
                try (AdminContext admin = wrapping && hasStore ? AdminContext.open(config, Clock.systemUTC()) : null) {
                    if (signing) {
                        rotateSigningKey(config, result);
                    }
                    if (admin != null) {
                        rotateWrappingKey(admin, result);
                    } else if (wrapping) {
                        result.put("keystore_skipped", "no store in " + config.dataDir());
                    }
                }
            } catch (RuntimeException e) {
                return failed(result, e);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println(Json.write(result));
            out.flush();
            return 0;
        }

        private static void rotateSigningKey(StoreConfig config, ObjectNode result) {
            SigningKeys keys = SigningKeys.loadOrCreate(config.dataDir(), Clock.systemUTC());
            result.put("current_kid", keys.rotate());
            ArrayNode published = result.putArray("published_kids");
            for (JWK key : keys.publicKeys().getKeys()) {
                published.add(key.getKeyID());
            }
        }

        private static void rotateWrappingKey(AdminContext admin, ObjectNode result) {
            Keystore.Rotation rotation = admin.db().keystore().rotateWrappingKey();
            result.put("keystore_kek", rotation.kek());
            result.put("rewrapped", rotation.rewrapped());
            ArrayNode retired = result.putArray("retired_keks");
            rotation.retiredKeks().forEach(retired::add);
        }

        private int failed(ObjectNode result, RuntimeException e) {
            PrintWriter err = spec.commandLine().getErr();
            String cause = e instanceof IllegalStateException || e instanceof IllegalArgumentException || e instanceof UncheckedIOException
                    ? e.getMessage() : "store failure: " + e.getClass().getSimpleName() + ": " + e.getMessage();
            if (result.has("current_kid")) {
                // why: the signing key changed already; the operator must know, and can finish the rest alone
                cause = "the signing key was rotated (current_kid " + result.get("current_kid").asText() + ") but the "
                        + "keystore's wrapping key was not: " + cause + "; run it again with --only wrapping to finish";
            }
            err.println(spec.qualifiedName() + ": " + cause);
            err.flush();
            return AdminAction.FAILED;
        }
    }
}
