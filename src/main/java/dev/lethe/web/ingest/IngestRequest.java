package dev.lethe.web.ingest;

import dev.lethe.ingest.DataDecoder;
import dev.lethe.ingest.Batches;
import dev.lethe.ingest.FormCodec;
import dev.lethe.ingest.Utf8;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.domain.DomainException;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One ingestion request, however the SDK packed it: {@code data=} in the query or a form body
 * (base64 or plain JSON), or a JSON body, optionally gzipped. Parameters come from the raw query
 * string and the raw form body, never from the servlet's decoding (see {@link FormCodec}).
 */
final class IngestRequest {

    private final String rawQuery;
    private final Map<String, String> rawParams;
    private final byte[] jsonBody;
    private final boolean ndjson;

    private IngestRequest(String rawQuery, Map<String, String> rawParams, byte[] jsonBody, boolean ndjson) {
        this.rawQuery = rawQuery;
        this.rawParams = rawParams;
        this.jsonBody = jsonBody;
        this.ndjson = ndjson;
    }

    /** The query string's parameters alone, before the body is read. */
    static IngestRequest query(Context ctx) {
        return new IngestRequest(ctx.queryString(), FormCodec.parseRaw(ctx.queryString()), null, false);
    }

    static IngestRequest read(Context ctx, BodyReader reader) {
        Map<String, String> params = FormCodec.parseRaw(ctx.queryString());
        if (ctx.method() != HandlerType.POST) {
            return new IngestRequest(ctx.queryString(), params, null, false);
        }
        byte[] body = reader.read(ctx);
        String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
        boolean ndjson = type.contains("ndjson");
        if (ndjson || startsLikeJson(body) || (type.contains("json") && !startsWithData(body))) {
            return new IngestRequest(ctx.queryString(), params, body, ndjson);
        }
        if (body.length > 0) {
            FormCodec.parseRaw(Utf8.decode(body, "the form body")).forEach(params::putIfAbsent);
        }
        return new IngestRequest(ctx.queryString(), params, null, false);
    }

    private static boolean startsWithData(byte[] body) {
        return body.length >= 5 && body[0] == 'd' && body[1] == 'a' && body[2] == 't' && body[3] == 'a' && body[4] == '=';
    }

    private static boolean startsLikeJson(byte[] body) {
        for (byte b : body) {
            if (b == '{' || b == '[') {
                return true;
            }
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return false;
    }

    /** A form-decoded parameter, or null. */
    String param(String name) {
        String raw = rawParams.get(name);
        return raw == null ? null : FormCodec.decode(raw, true);
    }

    /** {@code 1} or {@code true}, as SDKs send flags like {@code verbose} and {@code ip}. */
    boolean flag(String name) {
        String v = param(name);
        return v != null && (v.equals("1") || v.equalsIgnoreCase("true"));
    }

    /**
     * A query parameter that Mixpanel's spec types as the integer 0 or 1 ({@code strict}); {@code true}
     * and {@code false} are taken too, as {@link #flag} takes them. False when absent; any other value,
     * or the name given twice ({@code strict=0&strict=1}), is a 400 rather than a guess.
     */
    boolean zeroOrOne(String name) {
        String v = param(name);
        if (v == null) {
            return false;
        }
        if (FormCodec.count(rawQuery, name) > 1) {
            throw DomainException.invalidInput(name + " must be 0 or 1, given once");
        }
        if (v.equals("1") || v.equalsIgnoreCase("true")) {
            return true;
        }
        if (v.equals("0") || v.equalsIgnoreCase("false")) {
            return false;
        }
        throw DomainException.invalidInput(name + " must be 0 or 1");
    }

    /** True when the payload came as {@code data=} (the legacy SDK form). */
    boolean hasData() {
        return jsonBody == null && rawParams.containsKey("data");
    }

    /** The records of the payload: a JSON object or array, from {@code data=} or the JSON body. */
    List<JsonNode> records() {
        if (jsonBody != null) {
            return ndjson ? Batches.readNdjson(jsonBody) : Batches.read(jsonBody, "the body");
        }
        String data = rawParams.get("data");
        if (data == null) {
            throw DomainException.invalidInput("no data: send data= (base64 or JSON) or a JSON body");
        }
        return DataDecoder.decodeData(data);
    }
}
