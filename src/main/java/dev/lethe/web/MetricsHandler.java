package dev.lethe.web;

import dev.lethe.crypto.Secrets;
import dev.lethe.domain.DomainException;
import dev.lethe.metrics.LetheMetrics;
import io.javalin.http.Context;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * {@code GET /metrics}: the Prometheus text exposition. With a metrics token configured
 * ({@code --metrics-token}) a scrape must send it as {@code Authorization: Bearer}; without one the
 * page is open, which is safe to the extent that no label carries a project, person, token or
 * tracking id (docs/operations.md), but tells anyone who reaches it the instance's traffic.
 */
public final class MetricsHandler {

    private final LetheMetrics metrics;
    /** SHA-256 of the token, compared in constant time; null when scrapes need none. */
    private final byte[] tokenHash;

    public MetricsHandler(LetheMetrics metrics, String token) {
        this.metrics = metrics;
        this.tokenHash = token == null || token.isBlank() ? null : digest(token);
    }

    void serve(Context ctx) {
        if (tokenHash != null) {
            String header = ctx.header("Authorization");
            String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
            if (presented == null || !MessageDigest.isEqual(tokenHash, digest(presented))) {
                ctx.header("WWW-Authenticate", "Bearer realm=\"metrics\"");
                throw DomainException.unauthenticated("metrics need Authorization: Bearer <the --metrics-token>");
            }
        }
        ctx.contentType(LetheMetrics.contentType()).result(metrics.scrape());
    }

    private static byte[] digest(String token) {
        return Secrets.sha256Hex(token).getBytes(StandardCharsets.US_ASCII);
    }
}
