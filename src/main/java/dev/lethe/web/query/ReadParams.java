package dev.lethe.web.query;

import dev.lethe.domain.DomainException;
import dev.lethe.ingest.FormCodec;
import dev.lethe.ingest.Utf8;
import dev.lethe.web.ingest.BodyReader;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;

import java.util.Locale;
import java.util.Map;

/**
 * A read API's parameters: Mixpanel's clients send them in the query string (GET) or as a
 * form body (POST); a query-string value wins, so {@code project_id} may sit in either.
 * Parameters are read with ingestion's strict {@link FormCodec}, not the servlet's decoding,
 * which drops a value it cannot decode: a dropped filter would answer with every profile.
 */
final class ReadParams {

    private final Map<String, String> values;

    private ReadParams(Map<String, String> values) {
        this.values = values;
    }

    /** The query string's parameters, for calls that take no body. */
    static ReadParams query(Context ctx) {
        refuseBody(ctx);
        return new ReadParams(decoded(FormCodec.parseRawOnce(ctx.queryString(), "the query parameter"), "the query parameter"));
    }

    /** The query string's parameters and, on a POST, the form body's; any other body is refused. */
    static ReadParams queryAndForm(Context ctx, BodyReader bodies) {
        Map<String, String> values = decoded(FormCodec.parseRawOnce(ctx.queryString(), "the query parameter"), "the query parameter");
        if (ctx.method() != HandlerType.POST) {
            refuseBody(ctx);
            return new ReadParams(values);
        }
        String encoding = BodyReader.contentCoding(ctx);
        if (encoding != null) {
            throw DomainException.unsupportedEncoding(whereParametersGo("a body with Content-Encoding " + encoding));
        }
        byte[] body = bodies.read(ctx);
        if (body.length > 0) {
            String type = ctx.contentType();
            if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
                // why: a JSON or multipart body would otherwise be ignored, and a query without its filter
                // answers with every profile
                throw DomainException.unsupportedEncoding(whereParametersGo(type == null ? "a body without a Content-Type"
                        : "a body of type " + type));
            }
            decoded(FormCodec.parseRawOnce(Utf8.decode(body, "the form body"), "the form field"), "the form field").forEach(values::putIfAbsent);
        }
        return new ReadParams(values);
    }

    /** Every value decoded strictly; a refusal names the parameter ({@code the form field "where"}). */
    private static Map<String, String> decoded(Map<String, String> raw, String kind) {
        raw.replaceAll((name, value) -> FormCodec.decode(value, true, kind + " \"" + name + "\""));
        return raw;
    }

    /**
     * A GET with a body: a client that sends its filters there (Python's {@code requests.get(url, data=...)}) would
     * otherwise get an answer without them, every event or profile.
     */
    private static void refuseBody(Context ctx) {
        if (ctx.req().getContentLengthLong() > 0 || ctx.header("Transfer-Encoding") != null) {
            throw DomainException.invalidInput("a " + ctx.req().getMethod() + " takes its parameters in the query string; "
                    + "this one carries a body, which would be ignored (send it as a POST form, or in the query string)");
        }
    }

    private static String whereParametersGo(String sent) {
        return "parameters must be in the query string or an application/x-www-form-urlencoded body, not " + sent;
    }

    /** The decoded value, or null when absent. */
    String get(String name) {
        return values.get(name);
    }
}
