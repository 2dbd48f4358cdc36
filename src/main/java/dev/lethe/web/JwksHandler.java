package dev.lethe.web;

import dev.lethe.crypto.SigningKeys;
import io.javalin.http.Context;

/**
 * {@code GET /.well-known/jwks.json}: the public keys that verify erasure certificates, the current one
 * and every retired one. Open to anyone, and like every path but ingestion answered with a wildcard
 * origin and no credentials ({@link Cors}).
 */
public final class JwksHandler {

    /** RFC 7517's media type of a JWK set. */
    static final String CONTENT_TYPE = "application/jwk-set+json";

    private final SigningKeys keys;

    public JwksHandler(SigningKeys keys) {
        this.keys = keys;
    }

    void serve(Context ctx) {
        ctx.contentType(CONTENT_TYPE);
        // why: a rotation should reach verifiers soon; five minutes spares the instance a fetch per verification.
        ctx.header("Cache-Control", "public, max-age=300");
        ctx.result(keys.publicKeys().toString(true));
    }
}
