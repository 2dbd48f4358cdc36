package dev.lethe.web.query;

import dev.lethe.web.FormBody;
import io.javalin.http.Context;

/**
 * A read API's parameters: Mixpanel's clients send them in the query string (GET) or as a
 * form body (POST); a query-string value wins, so {@code project_id} may sit in either. The body is
 * read strictly ({@link FormBody}): a malformed escape or bad UTF-8 is refused, not guessed at.
 */
final class ReadParams {

    private final Context ctx;
    private final boolean form;

    ReadParams(Context ctx) {
        this.ctx = ctx;
        String type = ctx.contentType();
        this.form = type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded");
    }

    String get(String name) {
        String v = ctx.queryParam(name);
        if (v == null && form) {
            v = FormBody.of(ctx).text(name);
        }
        return v;
    }
}
