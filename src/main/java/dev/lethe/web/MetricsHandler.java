package dev.lethe.web;

import dev.lethe.crypto.Secrets;
import dev.lethe.domain.DomainException;
import dev.lethe.metrics.LetheMetrics;
import io.javalin.http.Context;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * {@code GET /metrics}: the Prometheus text exposition. With a metrics token configured
 * ({@code --metrics-token}) a scrape must send it as {@code Authorization: Bearer}; without one only
 * a scraper on this machine gets the page. No label carries a project, person, token or tracking id
 * (docs/operations.md), but a counter can still answer a question about one person to whoever sends
 * an event and reads the page right after: the identity refusals' count says whether an id is
 * someone's, the dropped events' whether someone asked to be forgotten.
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
        if (tokenHash == null) {
            if (!fromThisMachine(ctx.req().getRemoteAddr())) {
                throw DomainException.forbidden("without --metrics-token (env LETHE_METRICS_TOKEN) metrics are served to "
                        + "this machine only; set a token to scrape from elsewhere");
            }
        } else {
            String header = ctx.header("Authorization");
            String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
            if (presented == null || !MessageDigest.isEqual(tokenHash, digest(presented))) {
                ctx.header("WWW-Authenticate", "Bearer realm=\"metrics\"");
                throw DomainException.unauthenticated("metrics need Authorization: Bearer <the --metrics-token>");
            }
        }
        ctx.contentType(LetheMetrics.contentType()).result(metrics.scrape());
    }

    /** Whether the peer's address is a loopback one (a local Prometheus, or a reverse proxy on this machine). */
    static boolean fromThisMachine(String remoteAddress) {
        if (remoteAddress == null) {
            return false;
        }
        try {
            // why: the peer's address is numeric, so this parses it and looks up no name
            return InetAddress.getByName(remoteAddress.startsWith("[") ? remoteAddress.substring(1, remoteAddress.length() - 1)
                    : remoteAddress).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static byte[] digest(String token) {
        return Secrets.sha256Hex(token).getBytes(StandardCharsets.US_ASCII);
    }
}
