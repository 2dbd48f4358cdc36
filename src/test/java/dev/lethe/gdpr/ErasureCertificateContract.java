package dev.lethe.gdpr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import dev.lethe.Lethe;
import dev.lethe.certificate.ErasureCertificates;
import dev.lethe.crypto.SignedClaims;
import dev.lethe.json.Json;
import dev.lethe.task.Engines;
import dev.lethe.task.RecordingExecutor;
import dev.lethe.task.TaskKind;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static dev.lethe.gdpr.GdprClient.DELETIONS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The signed erasure certificate of a deletion, end to end: events sent over HTTP, the real deletion
 * executor, the certificate and the published keys fetched over HTTP, and the signature checked with
 * Nimbus directly (not through Lethe's own verification) and with {@code lethe verify-certificate}.
 */
abstract class ErasureCertificateContract extends LiveGdprTestBase {

    /** The step the store's scrub records after SUCCESS. */
    abstract String scrubStep();

    private static final String PERSON = "ann.certificate@example.com";
    private static final String DEVICE = "ann-device-7731";

    @Test
    void a_certificate_after_success_verifies_with_the_published_jwks_and_says_what_was_erased() throws Exception {
        String id = deletedPerson();
        HttpResponse<String> r = certificate(owner, id);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/jose");

        JWSObject jws = JWSObject.parse(r.body());
        JWKSet published = JWKSet.parse(jwks().body());
        JWK key = published.getKeyByKeyId(jws.getHeader().getKeyID());
        assertThat(key).as("the kid names a published key").isInstanceOf(OctetKeyPair.class);
        assertThat(key.isPrivate()).as("only public keys are published").isFalse();
        assertThat(jws.verify(new Ed25519Verifier((OctetKeyPair) key))).isTrue();
        assertThat(jws.getHeader().getKeyID()).isEqualTo(server.app.signingKeys().current().getKeyID());

        JsonNode claims = Json.readTrusted(jws.getPayload().toString());
        long project = owner.project().id();
        assertThat(claims.get("iss").asText()).isEqualTo(server.app.key().instanceId()).startsWith("lethe-");
        assertThat(claims.get("instance_id").asText()).isEqualTo(claims.get("iss").asText());
        assertThat(claims.get("lethe_version").asText()).isNotEmpty();
        assertThat(claims.get("iat").asLong()).isEqualTo(server.clock.instant().getEpochSecond());
        assertThat(claims.get("project_id").asLong()).isEqualTo(project);
        assertThat(claims.get("tracking_id").asText()).isEqualTo(id);
        assertThat(claims.get("requested_id_hashes")).extracting(JsonNode::asText)
                .containsExactly(ErasureCertificates.idHashOf(server.app.key(), project, PERSON));
        assertThat(claims.get("counts").get("events_deleted").asLong()).isEqualTo(3);
        assertThat(claims.get("counts").get("profiles_deleted").asLong()).isEqualTo(1);
        assertThat(claims.get("counts").get("links_deleted").asLong()).isEqualTo(1);
        assertThat(claims.get("verification").get("rows_left").asLong()).isZero();
        List<String> steps = new ArrayList<>();
        claims.get("erasure_steps").forEach(s -> steps.add(s.get("step").asText() + ":" + s.get("outcome").asText()));
        assertThat(steps).startsWith("rows_erased:done", "verified_nothing_left:done")
                .contains("keystore_destroy:done", "key_bucket_rekey:done", scrubStep() + ":done");
        assertThat(claims.get("requested_at").asText()).isEqualTo("2026-11-28T09:15:02.118Z");
        assertThat(claims.get("finished_at").asText()).isEqualTo("2026-11-28T09:15:02.118Z");
        assertThat(claims.get("started_at").isTextual()).isTrue();
    }

    @Test
    void no_requested_or_linked_id_appears_in_clear_anywhere_in_the_token() {
        String token = certificate(owner, deletedPerson()).body();
        String[] parts = token.split("\\.");
        String decoded = new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8)
                + new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        for (String id : List.of(PERSON, DEVICE, "$device:" + DEVICE, "ann.certificate", "example.com")) {
            assertThat(decoded).doesNotContain(id);
            assertThat(token).doesNotContain(id);
        }
        assertThat(decoded).contains("requested_id_hashes", ErasureCertificates.ID_HASH_PREFIX);
    }

    @Test
    void changing_one_claim_and_re_encoding_the_payload_fails_verification() throws Exception {
        String token = certificate(owner, deletedPerson()).body();
        String tampered = withClaim(token, "events_deleted", 0);
        JWKSet published = JWKSet.parse(jwks().body());

        JWSObject jws = JWSObject.parse(tampered);
        assertThat(jws.verify(new Ed25519Verifier((OctetKeyPair) published.getKeyByKeyId(jws.getHeader().getKeyID()))))
                .isFalse();
        assertThatThrownBy(() -> ErasureCertificates.verify(tampered, published))
                .isInstanceOf(SignedClaims.Mismatch.class).hasMessageContaining("signature does not match");
        assertThat(ErasureCertificates.verify(token, published).get("counts").get("events_deleted").asLong()).isEqualTo(3);
    }

    @Test
    void before_success_the_certificate_is_a_409_json_error_and_a_revoked_deletion_never_gets_one() {
        String pending = api.createDeletion(owner, GdprClient.ids("not-yet")).trackingId();
        HttpResponse<String> r = certificate(owner, pending);
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(Json.readTrusted(r.body()).get("status").asText()).isEqualTo("error");
        assertThat(Json.readTrusted(r.body()).get("error").asText()).contains("has not finished", "PENDING");
        assertThat(r.headers().firstValue("Retry-After")).isPresent();

        assertThat(api.cancelDeletion(owner, pending).status()).isEqualTo(204);
        HttpResponse<String> revoked = certificate(owner, pending);
        assertThat(revoked.statusCode()).isEqualTo(409);
        assertThat(Json.readTrusted(revoked.body()).get("error").asText()).contains("REVOKED");
    }

    @Test
    void another_projects_token_and_an_unknown_id_get_the_checks_404() {
        String id = deletedPerson();
        Caller stranger = Caller.ownerOfNewProject(server);
        HttpResponse<String> r = certificate(stranger, id);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(Json.readTrusted(r.body()).get("results").get("status").asText()).isEqualTo("NOT_FOUND");
        assertThat(api.checkDeletion(stranger, id).status()).isEqualTo(404);
        assertThat(certificate(owner, "0123456789abcdef0123456789abcdef").statusCode()).isEqualTo(404);
        assertThat(certificate(new Caller(null, owner.projectToken(), owner.project(), "nobody"), id).statusCode())
                .isEqualTo(401);
    }

    @Test
    void the_check_answers_the_same_fields_once_a_certificate_was_issued() {
        String id = deletedPerson();
        assertThat(certificate(owner, id).statusCode()).isEqualTo(200);
        List<String> fields = new ArrayList<>();
        api.checkDeletion(owner, id).results().fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactlyInAnyOrder("tracking_id", "status", "requesting_user", "compliance_type",
                "project_id", "date_requested", "distinct_ids");
    }

    @Test
    void right_after_success_it_waits_for_the_scrub_record_until_the_lease_says_the_worker_is_gone() {
        // why: a recording executor marks SUCCESS and records no scrub, as a worker that died right after the commit
        var engine = Engines.over(server.app, new RecordingExecutor(TaskKind.DELETION, server.app.db()));
        String id = api.createDeletion(owner, GdprClient.ids("crashed-worker")).trackingId();
        Engines.drain(engine);
        HttpResponse<String> waiting = certificate(owner, id);
        assertThat(waiting.statusCode()).isEqualTo(409);
        assertThat(Json.readTrusted(waiting.body()).get("error").asText()).contains("scrubbing");

        server.clock.advance(server.app.config().lease().plusSeconds(1));
        HttpResponse<String> issued = certificate(owner, id);
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
        String payload = new String(Base64.getUrlDecoder().decode(issued.body().split("\\.")[1]), StandardCharsets.UTF_8);
        assertThat(payload).doesNotContain(scrubStep()).contains("verified_nothing_left");
    }

    @Test
    void the_jwks_is_open_to_anyone_with_a_wildcard_origin_and_no_credentials() {
        HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri("/.well-known/jwks.json"))
                .header("Origin", "https://privacy.example").GET());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(r.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
        assertThat(r.body()).doesNotContain("\"d\"");
    }

    @Test
    void rotation_keeps_old_certificates_verifiable_and_new_ones_carry_the_new_kid() throws Exception {
        String id = deletedPerson();
        String before = certificate(owner, id).body();
        String oldKid = JWSObject.parse(before).getHeader().getKeyID();

        Cli rotated = cli("admin", "keys", "rotate", "--data-dir", dataDir().toString());
        assertThat(rotated.exit()).as(rotated.err()).isZero();
        String newKid = Json.readTrusted(rotated.out()).get("current_kid").asText();
        assertThat(newKid).isNotEqualTo(oldKid);

        JWKSet published = JWKSet.parse(jwks().body());
        assertThat(published.getKeys()).extracting(JWK::getKeyID).containsExactly(newKid, oldKid);
        assertThat(published.getKeys()).noneMatch(JWK::isPrivate);
        assertThat(Files.readString(dataDir().resolve("signing-keys.jwks"))).as("the retired key can sign no more")
                .containsOnlyOnce("\"d\"");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir().resolve("signing-keys.jwks.lock"))))
                .as("the rotation's lock file, empty but as private as the keys").isEqualTo("rw-------");
        assertThat(ErasureCertificates.verify(before, published).get("tracking_id").asText()).isEqualTo(id);

        String after = certificate(owner, id).body();
        assertThat(JWSObject.parse(after).getHeader().getKeyID()).isEqualTo(newKid);
        assertThat(ErasureCertificates.verify(after, published).get("tracking_id").asText()).isEqualTo(id);
    }

    @Test
    void the_cli_verifies_a_good_certificate_and_refuses_a_tampered_one() throws Exception {
        String id = deletedPerson();
        String token = certificate(owner, id).body();
        Path good = tmp.resolve("good.jws");
        Files.writeString(good, token);
        Path bad = tmp.resolve("bad.jws");
        Files.writeString(bad, withClaim(token, "events_deleted", 0));
        Path jwksFile = tmp.resolve("jwks.json");
        Files.writeString(jwksFile, jwks().body());

        Cli local = cli("verify-certificate", good.toString(), "--data-dir", dataDir().toString(), "--id", PERSON, "--id", "someone-else");
        assertThat(local.exit()).as(local.err()).isZero();
        assertThat(local.err()).contains("verified");
        JsonNode printed = Json.readTrusted(local.out());
        assertThat(printed.get("claims").get("tracking_id").asText()).isEqualTo(id);
        assertThat(printed.get("covers_requested_ids").get(PERSON).asBoolean()).isTrue();
        assertThat(printed.get("covers_requested_ids").get("someone-else").asBoolean()).isFalse();

        Cli byUrl = cli("verify-certificate", good.toString(), "--jwks", server.baseUrl() + "/.well-known/jwks.json");
        assertThat(byUrl.exit()).as(byUrl.err()).isZero();
        assertThat(Json.readTrusted(byUrl.out()).get("counts").get("events_deleted").asLong()).isEqualTo(3);

        Cli tampered = cli("verify-certificate", bad.toString(), "--jwks", jwksFile.toString());
        assertThat(tampered.exit()).isEqualTo(1);
        assertThat(tampered.err()).contains("NOT VERIFIED", "signature does not match");
        assertThat(tampered.out()).isEmpty();

        Path otherKeys = tmp.resolve("other-instance");
        assertThat(cli("admin", "keys", "rotate", "--data-dir", otherKeys.toString()).exit()).isZero();
        Cli foreign = cli("verify-certificate", good.toString(), "--data-dir", otherKeys.toString());
        assertThat(foreign.exit()).isEqualTo(1);
        assertThat(foreign.err()).contains("NOT VERIFIED", "holds no Ed25519 key with id");

        Cli missing = cli("verify-certificate", tmp.resolve("nope.jws").toString(), "--jwks", jwksFile.toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("cannot read the certificate");
    }

    /** Tracks a person under a linked device, with a profile; deletes them through the API and the real engine. */
    private String deletedPerson() {
        trackJson("{\"event\":\"Signed Up\",\"properties\":{\"distinct_id\":\"" + PERSON + "\",\"$insert_id\":\"a\",\"time\":1795000000}}");
        trackJson("{\"event\":\"Opened App\",\"properties\":{\"distinct_id\":\"" + PERSON + "\",\"$device_id\":\"" + DEVICE
                + "\",\"$user_id\":\"" + PERSON + "\",\"$insert_id\":\"b\",\"time\":1795000100}}");
        trackJson("{\"event\":\"Browsed\",\"properties\":{\"distinct_id\":\"$device:" + DEVICE + "\",\"$insert_id\":\"c\",\"time\":1795000200}}");
        String engage = "{\"$token\":\"" + owner.projectToken() + "\",\"$distinct_id\":\"" + PERSON + "\",\"$set\":{\"plan\":\"pro\"}}";
        assertThat(server.postForm("/engage", "data=" + b64(engage)).body()).isEqualTo("1");
        GdprClient.Response created = api.createDeletion(owner, GdprClient.ids(PERSON));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        Engines.drain(server.app.engine());
        assertThat(api.checkDeletion(owner, created.trackingId()).results().get("status").asText()).isEqualTo("SUCCESS");
        return created.trackingId();
    }

    private static String b64(String json) {
        return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> certificate(Caller c, String trackingId) {
        return api.call("GET", DELETIONS + "/" + trackingId + "/certificate", c, null).raw();
    }

    private HttpResponse<String> jwks() {
        return server.get("/.well-known/jwks.json");
    }

    private Path dataDir() {
        return server.app.config().store().dataDir();
    }

    /** The token with one count changed and the payload re-encoded, the signature kept. */
    private static String withClaim(String token, String count, long value) {
        String[] parts = token.split("\\.");
        ObjectNode claims = (ObjectNode) Json.readTrusted(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        ((ObjectNode) claims.get("counts")).put(count, value);
        String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(Json.write(claims).getBytes(StandardCharsets.UTF_8));
        return parts[0] + "." + payload + "." + parts[2];
    }

    record Cli(int exit, String out, String err) {
    }

    private static Cli cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Lethe.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Cli(exit, out.toString(), err.toString());
    }
}
