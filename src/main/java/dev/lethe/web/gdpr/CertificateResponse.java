package dev.lethe.web.gdpr;

import dev.lethe.certificate.ErasureCertificates;
import io.javalin.http.Context;

/**
 * How an erasure certificate goes out, from the API and from the console alike: the compact JWS as
 * {@code application/jose} (RFC 7515), named as a file so a browser saves what {@code lethe
 * verify-certificate} reads.
 */
public final class CertificateResponse {

    public static final String CONTENT_TYPE = "application/jose";

    private CertificateResponse() {
    }

    public static void send(Context ctx, String trackingId, ErasureCertificates.Issued certificate) {
        ctx.contentType(CONTENT_TYPE);
        ctx.header("Content-Disposition", "attachment; filename=\"erasure-certificate-" + trackingId + ".jws\"");
        ctx.header("Cache-Control", "no-store");
        ctx.result(certificate.compact());
    }
}
