package dev.lethe.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.JWKSet;
import dev.lethe.certificate.ErasureCertificates;
import dev.lethe.crypto.InstanceKey;
import dev.lethe.crypto.SignedClaims;
import dev.lethe.crypto.SigningKeys;
import dev.lethe.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code lethe verify-certificate FILE}: checks an erasure certificate's signature offline, against the
 * keys of the local data directory or a JWK set given as a file or URL, and prints its claims.
 */
@Command(name = "verify-certificate", mixinStandardHelpOptions = true,
        description = "Verify a signed erasure certificate (a compact JWS) and print its claims as JSON. "
                + "Exit code 0: the signature matches a published key; 1: it does not; 2: a file or the key set could not be read.")
public final class VerifyCertificateCommand implements Callable<Integer> {

    static final int MISMATCH = 1;
    static final int UNREADABLE = 2;
    private static final int TIMEOUT_MS = 10_000;
    private static final int MAX_JWKS_BYTES = 1 << 20;

    @Parameters(index = "0", paramLabel = "FILE", description = "The certificate, as downloaded from .../certificate")
    Path file;

    @Option(names = "--jwks", paramLabel = "URL|FILE",
            description = "The public keys: an http(s) URL (e.g. https://lethe.example/.well-known/jwks.json) or a file. "
                    + "Default: the keys of the data directory")
    String jwks;

    @Option(names = "--id", paramLabel = "DISTINCT_ID",
            description = "Also say whether the certificate covers this requested id (needs the data directory's instance key); repeatable")
    List<String> ids;

    @Mixin
    StoreOptions store;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String certificate;
        try {
            certificate = Files.readString(file);
        } catch (IOException e) {
            return unreadable(err, "cannot read the certificate " + file + ": " + e.getClass().getSimpleName());
        }
        JWKSet keys;
        try {
            keys = keys();
        } catch (IOException | ParseException | RuntimeException e) {
            return unreadable(err, "cannot read the key set " + (jwks == null ? "of the data directory" : jwks) + ": " + e.getMessage());
        }
        ObjectNode claims;
        try {
            claims = ErasureCertificates.verify(certificate, keys);
        } catch (SignedClaims.Mismatch e) {
            err.println("verify-certificate: NOT VERIFIED: " + e.getMessage());
            err.flush();
            return MISMATCH;
        }
        if (ids != null && !ids.isEmpty()) {
            InstanceKey key = InstanceKey.loadOrCreate(store.toConfig().dataDir());
            ObjectNode covers = Json.object();
            long project = claims.path("project_id").asLong();
            ArrayNode hashes = (ArrayNode) claims.path("requested_id_hashes");
            for (String id : ids) {
                String hash = ErasureCertificates.idHashOf(key, project, id);
                boolean found = false;
                for (var h : hashes) {
                    found |= h.asText().equals(hash);
                }
                covers.put(id, found);
            }
            claims = claims.deepCopy();
            // why: printed beside the verified claims, never inside them: it is this command's finding.
            ObjectNode shown = Json.object();
            shown.set("claims", claims);
            shown.set("covers_requested_ids", covers);
            claims = shown;
        }
        err.println("verify-certificate: verified: signed by key " + kid(certificate) + " of " + claims.findPath("iss").asText());
        err.flush();
        out.println(claims.toPrettyString());
        out.flush();
        return 0;
    }

    private static int unreadable(PrintWriter err, String message) {
        err.println("verify-certificate: " + message);
        err.flush();
        return UNREADABLE;
    }

    private JWKSet keys() throws IOException, ParseException {
        if (jwks == null || jwks.isBlank()) {
            return SigningKeys.existing(store.toConfig().dataDir()).publicKeys();
        }
        if (jwks.startsWith("https://") || jwks.startsWith("http://")) {
            return JWKSet.load(URI.create(jwks).toURL(), TIMEOUT_MS, TIMEOUT_MS, MAX_JWKS_BYTES);
        }
        return JWKSet.load(Path.of(jwks).toFile());
    }

    private static String kid(String compact) {
        try {
            return com.nimbusds.jose.JWSObject.parse(compact.strip()).getHeader().getKeyID();
        } catch (ParseException e) {
            return "?";
        }
    }
}
