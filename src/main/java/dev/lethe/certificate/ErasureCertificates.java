package dev.lethe.certificate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import dev.lethe.crypto.InstanceKey;
import dev.lethe.crypto.SignedClaims;
import dev.lethe.crypto.SigningKeys;
import dev.lethe.deletion.ErasureSteps;
import dev.lethe.domain.DomainException;
import dev.lethe.json.Json;
import dev.lethe.task.Task;
import dev.lethe.task.TaskIdHashes;
import dev.lethe.task.TaskKind;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Signed proof that a deletion happened: a compact JWS over what the deletion covered (the requested
 * ids as keyed hashes only), what it erased, that nothing was left, and what it did to the store's
 * files afterwards, signed with the instance's current Ed25519 key ({@link SigningKeys}). Anyone with
 * the published keys ({@code /.well-known/jwks.json}) can verify one; only the instance key can tie a
 * hash back to an id.
 */
public final class ErasureCertificates {

    /** The {@code typ} header of a certificate, so it is not mistaken for another signed token of Lethe. */
    public static final String TYPE = "lethe-erasure-certificate+jwt";
    /** What a certificate's id hashes start with: the algorithm, then 64 hex digits. */
    public static final String ID_HASH_PREFIX = "hmac-sha256:";
    /** Format of the claims; raised when a claim changes meaning. */
    static final int FORMAT = 1;

    /** A signed certificate and the id of the key that signed it. */
    public record Issued(String compact, String keyId) {
    }

    private final SigningKeys keys;
    private final InstanceKey instanceKey;
    private final TaskIdHashes taskIdHashes;
    private final ErasureSteps steps;
    private final Duration scrubWait;
    private final Clock clock;

    /**
     * @param scrubWait how long after SUCCESS a certificate waits for the worker to record the store's scrub
     *                  (the task lease: a worker that has not recorded it by then has died)
     */
    public ErasureCertificates(SigningKeys keys, InstanceKey instanceKey, TaskIdHashes taskIdHashes, ErasureSteps steps,
                               Duration scrubWait, Clock clock) {
        this.keys = keys;
        this.instanceKey = instanceKey;
        this.taskIdHashes = taskIdHashes;
        this.steps = steps;
        this.scrubWait = scrubWait;
        this.clock = clock;
    }

    /** The certificate of a deletion that succeeded; the caller has checked that the task is the caller's to see. */
    public Issued issue(Task task) {
        if (task.kind() != TaskKind.DELETION) {
            throw new IllegalArgumentException("only a deletion has an erasure certificate");
        }
        switch (task.status()) {
            case SUCCESS -> {
            }
            case FAILURE, REVOKED -> throw DomainException.notReady("the deletion ended as " + task.status()
                    + "; only a deletion that succeeded has a certificate");
            default -> throw DomainException.notReady("the deletion has not finished (status " + task.status()
                    + "); its certificate is available once it is SUCCESS", 5);
        }
        List<ErasureSteps.Step> recorded = steps.of(task.id());
        // why: before session 10 the worker scrubbed the store right after the SUCCESS committed and recorded the steps
        // then; a certificate of such a task taken in between would leave out what the scrub did, and a worker that
        // died there never recorded it. A deletion now records its steps with its SUCCESS.
        if (recorded.isEmpty() && clock.millis() < task.finishedAt() + scrubWait.toMillis()) {
            throw DomainException.notReady("the deletion is scrubbing the store after its SUCCESS; retry in a moment", 1);
        }
        OctetKeyPair key = keys.current();
        String claims = Json.write(claims(task, recorded));
        return new Issued(SignedClaims.sign(key, claims, TYPE), key.getKeyID());
    }

    /** The claims of a certificate once its signature verifies with the key of {@code keys} it names. */
    public static ObjectNode verify(String compact, JWKSet keys) throws SignedClaims.Mismatch {
        JsonNode claims;
        try {
            claims = Json.readTrusted(SignedClaims.verify(compact, keys));
        } catch (RuntimeException e) {
            throw new SignedClaims.Mismatch("the signed payload is not JSON");
        }
        if (!(claims instanceof ObjectNode o) || !o.path("lethe_certificate").isInt()) {
            throw new SignedClaims.Mismatch("the signed payload is not a Lethe erasure certificate");
        }
        return o;
    }

    private ObjectNode claims(Task task, List<ErasureSteps.Step> recorded) {
        ObjectNode c = Json.object();
        c.put("iss", instanceKey.instanceId());
        c.put("sub", task.trackingId());
        c.put("iat", clock.instant().getEpochSecond());
        c.put("lethe_certificate", FORMAT);
        c.put("instance_id", instanceKey.instanceId());
        c.put("lethe_version", LetheVersion.current());
        c.put("project_id", task.projectId());
        c.put("tracking_id", task.trackingId());
        c.put("compliance_type", task.complianceType());
        c.put("suppressed", task.suppress());
        ArrayNode ids = c.putArray("requested_id_hashes");
        for (String taskHash : taskIdHashes.requestedIdHashes(task)) {
            ids.add(idHash(instanceKey, task.projectId(), taskHash));
        }
        c.set("counts", task.counts() == null ? Json.object() : task.counts().deepCopy());
        // why: SUCCESS is written in the transaction that found none of the person's rows left (PersonEraser.verifyGone).
        ObjectNode verification = c.putObject("verification");
        verification.put("rows_left", 0);
        verification.putArray("checked").add("events").add("profiles").add("identity_links").add("archives");
        ArrayNode done = c.putArray("erasure_steps");
        String finished = iso(task.finishedAt());
        done.addObject().put("step", "rows_erased").put("outcome", ErasureSteps.DONE).put("at", finished);
        done.addObject().put("step", "verified_nothing_left").put("outcome", ErasureSteps.DONE).put("at", finished);
        for (ErasureSteps.Step s : recorded) {
            done.addObject().put("step", s.step()).put("outcome", s.outcome()).put("at", iso(s.at()));
        }
        c.put("requested_at", iso(task.dateRequested()));
        c.put("started_at", iso(task.startedAt()));
        c.put("finished_at", finished);
        return c;
    }

    /**
     * A requested id's hash in a certificate: keyed with the instance key, scoped by project and kept
     * apart from every other hash Lethe makes ({@code erasure-certificate:}), over the task's own keyed
     * hash of the id so it can be made whether or not the task still holds the id in clear.
     */
    private static String idHash(InstanceKey key, long projectId, String taskIdHash) {
        return ID_HASH_PREFIX + key.sign("erasure-certificate:" + projectId + ":" + taskIdHash);
    }

    /** The hash a certificate of this project shows for {@code id}: how the instance's operator checks that it covered an id. */
    public static String idHashOf(InstanceKey key, long projectId, String id) {
        return idHash(key, projectId, new TaskIdHashes(key).hash(projectId, id));
    }

    private static String iso(Long epochMillis) {
        return epochMillis == null ? null : Instant.ofEpochMilli(epochMillis).toString();
    }
}
