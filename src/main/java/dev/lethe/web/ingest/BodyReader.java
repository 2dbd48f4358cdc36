package dev.lethe.web.ingest;

import dev.lethe.domain.DomainException;
import io.javalin.http.Context;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Reads a request body, inflating {@code Content-Encoding: gzip}. Both the bytes on the wire and
 * the inflated bytes are capped at the configured limit, so a small gzip bomb cannot exhaust memory.
 */
public final class BodyReader {

    private static final String TOO_LARGE = "request body is larger than the configured limit";

    private final long maxBytes;

    public BodyReader(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    public byte[] read(Context ctx) {
        if (ctx.req().getContentLengthLong() > maxBytes) {
            // why: refused on the declared length, before waiting for (or reading) a body that would be refused anyway
            throw DomainException.tooLarge(TOO_LARGE);
        }
        byte[] wire;
        try {
            wire = readCapped(ctx.bodyInputStream());
        } catch (IOException e) {
            throw DomainException.invalidInput("the request body could not be read");
        }
        String encoding = contentCoding(ctx);
        if (encoding == null) {
            return wire;
        }
        if (!encoding.toLowerCase(Locale.ROOT).equals("gzip")) {
            throw DomainException.unsupportedEncoding("unsupported Content-Encoding (use gzip or none)");
        }
        return gunzip(wire);
    }

    /** The request's {@code Content-Encoding}, trimmed, or null when it has none or says {@code identity}. */
    public static String contentCoding(Context ctx) {
        String encoding = ctx.header("Content-Encoding");
        return encoding == null || encoding.isBlank() || encoding.trim().equalsIgnoreCase("identity") ? null : encoding.trim();
    }

    private byte[] gunzip(byte[] wire) {
        if (wire.length == 0) {
            return wire;
        }
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(wire))) {
            return readCapped(in);
        } catch (IOException e) {
            // why: a truncated or corrupt stream surfaces as ZipException or EOFException, both IOExceptions.
            throw DomainException.invalidInput("the body is not valid gzip");
        }
    }

    private byte[] readCapped(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[16 * 1024];
        long total = 0;
        int n;
        while ((n = in.read(buf)) >= 0) {
            total += n;
            if (total > maxBytes) {
                throw DomainException.tooLarge(TOO_LARGE);
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }
}
