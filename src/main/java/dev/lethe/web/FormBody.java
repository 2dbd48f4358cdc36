package dev.lethe.web;

import dev.lethe.domain.DomainException;
import dev.lethe.ingest.FormCodec;
import dev.lethe.ingest.Utf8;
import io.javalin.http.Context;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Part;
import org.eclipse.jetty.server.handler.ContextHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A request's form fields, read strictly: a URL-encoded or multipart body whose framing is broken,
 * a malformed percent escape, or a field that is not valid UTF-8 is the client's mistake (400), never
 * a 500 nor a value silently changed by the servlet's lenient decoding (which turns bad bytes into
 * U+FFFD), nor a field given twice. Read once a request; other bodies have no fields.
 */
public final class FormBody {

    private static final String ATTRIBUTE = "lethe.form-body";
    private static final String MULTIPART_CONFIG = "org.eclipse.jetty.multipartConfig";
    private static final String TOO_LARGE = "request body is larger than the configured limit";
    private static final FormBody EMPTY = new FormBody(Map.of(), Map.of());

    private final Map<String, String> fields;
    private final Map<String, Part> files;

    private FormBody(Map<String, String> fields, Map<String, Part> files) {
        this.fields = fields;
        this.files = files;
    }

    /** The request's form, read on first use; a body that cannot be read refuses every call the same way. */
    public static FormBody of(Context ctx) {
        Object cached = ctx.attribute(ATTRIBUTE);
        if (cached instanceof FormBody form) {
            return form;
        }
        if (cached instanceof DomainException refused) {
            throw refused;
        }
        try {
            FormBody form = read(ctx);
            ctx.attribute(ATTRIBUTE, form);
            return form;
        } catch (DomainException e) {
            // why: a multipart stream is gone once read, so a second reader would see another error than the first
            ctx.attribute(ATTRIBUTE, e);
            throw e;
        }
    }

    /** The field's text, or null when the form has no such field. */
    public String text(String name) {
        return fields.get(name);
    }

    /** The bytes of an uploaded file, or null when none (or an empty one) was sent; larger than {@code maxBytes} is a 413. */
    public byte[] file(String name, long maxBytes, String tooLarge) {
        Part part = files.get(name);
        if (part == null || part.getSize() == 0) {
            return null;
        }
        if (part.getSize() > maxBytes) {
            throw DomainException.tooLarge(tooLarge);
        }
        try (InputStream in = part.getInputStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static FormBody read(Context ctx) {
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
        if (type.startsWith("application/x-www-form-urlencoded")) {
            return urlEncoded(ctx.bodyAsBytes());
        }
        if (type.startsWith("multipart/form-data")) {
            return multipart(ctx);
        }
        return EMPTY;
    }

    private static FormBody urlEncoded(byte[] body) {
        Map<String, String> fields = new LinkedHashMap<>();
        FormCodec.parseRawOnce(Utf8.decode(body, "the form body"), "the form field")
                .forEach((name, raw) -> fields.put(name, FormCodec.decode(raw, true, field(name))));
        return new FormBody(fields, Map.of());
    }

    private static FormBody multipart(Context ctx) {
        // why: Jetty bounds a multipart body's fields by the form limit but writes its files to disk unbounded
        // unless the request carries limits; the server's one body limit (WebServer) serves for both
        long limit = ContextHandler.getContextHandler(ctx.req().getServletContext()).getMaxFormContentSize();
        if (limit > 0 && ctx.req().getContentLengthLong() > limit) {
            throw DomainException.tooLarge(TOO_LARGE);
        }
        if (ctx.req().getAttribute(MULTIPART_CONFIG) == null) {
            ctx.req().setAttribute(MULTIPART_CONFIG, new MultipartConfigElement(System.getProperty("java.io.tmpdir"), limit, limit, 1));
        }
        Map<String, String> fields = new LinkedHashMap<>();
        Map<String, Part> files = new LinkedHashMap<>();
        try {
            ctx.uploadedFileMap();
            for (Part part : ctx.req().getParts()) {
                if (fields.containsKey(part.getName()) || files.containsKey(part.getName())) {
                    // why: no console form repeats a field; keeping the first value would act on a choice half made
                    throw DomainException.invalidInput(field(part.getName()) + " is given more than once");
                }
                if (part.getSubmittedFileName() != null) {
                    files.put(part.getName(), part);
                } else {
                    try (InputStream in = part.getInputStream()) {
                        fields.put(part.getName(), Utf8.decode(in.readAllBytes(), field(part.getName())));
                    }
                }
            }
        } catch (IllegalStateException e) {
            // why: how Jetty says a body sent without a length went over a limit (its size, a part's, the count of parts)
            throw DomainException.tooLarge("the form is too large" + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (IOException | ServletException e) {
            // why: Jetty's parser reports a broken body (no boundary, a truncated part) this way;
            // Javalin's Kotlin rethrows the checked exceptions undeclared, which these clauses still catch
            throw DomainException.invalidInput("malformed multipart/form-data body"
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
        return new FormBody(fields, files);
    }

    private static String field(String name) {
        return "the form field \"" + name + "\"";
    }
}
