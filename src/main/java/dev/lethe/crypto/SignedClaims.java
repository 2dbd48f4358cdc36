package dev.lethe.crypto;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;

import java.text.ParseException;

/**
 * A claims set signed as a compact JWS (Ed25519, with the key's id in the {@code kid} header), and
 * its verification against a JWK set. The claims travel as the JSON text the caller wrote, so what
 * is verified is byte for byte what was signed.
 */
public final class SignedClaims {

    /** Why a token does not verify; the message says it for a person. */
    public static final class Mismatch extends Exception {
        public Mismatch(String message) {
            super(message, null, false, false);
        }
    }

    private SignedClaims() {
    }

    /** Signs the claims (a JSON object's text) with {@code key}; {@code type} goes in the {@code typ} header. */
    public static String sign(OctetKeyPair key, String claimsJson, String type) {
        JWSHeader header = new JWSHeader.Builder(SigningKeys.ALGORITHM).keyID(key.getKeyID()).type(new JOSEObjectType(type)).build();
        JWSObject jws = new JWSObject(header, new Payload(claimsJson));
        try {
            jws.sign(new Ed25519Signer(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign with key " + key.getKeyID(), e);
        }
        return jws.serialize();
    }

    /** The claims' JSON text once the signature verifies with the key of {@code keys} that the token names. */
    public static String verify(String compact, JWKSet keys) throws Mismatch {
        JWSObject jws;
        try {
            jws = JWSObject.parse(compact.strip());
        } catch (ParseException e) {
            throw new Mismatch("not a compact JWS (three base64url parts separated by dots): " + e.getMessage());
        }
        JWSHeader header = jws.getHeader();
        if (!SigningKeys.ALGORITHM.equals(header.getAlgorithm())) {
            throw new Mismatch("signed with " + header.getAlgorithm() + ", not " + SigningKeys.ALGORITHM + " (Ed25519)");
        }
        String kid = header.getKeyID();
        if (kid == null) {
            throw new Mismatch("the token names no signing key (no kid header)");
        }
        JWK key = keys.getKeyByKeyId(kid);
        if (!(key instanceof OctetKeyPair okp)) {
            throw new Mismatch("the key set holds no Ed25519 key with id " + kid
                    + " (signed by another instance, or the key set is not this instance's)");
        }
        try {
            if (!jws.verify(new Ed25519Verifier(okp.toPublicJWK()))) {
                throw new Mismatch("the signature does not match key " + kid + ": the token was altered after signing");
            }
        } catch (JOSEException e) {
            throw new Mismatch("cannot verify with key " + kid + ": " + e.getMessage());
        }
        return jws.getPayload().toString();
    }
}
