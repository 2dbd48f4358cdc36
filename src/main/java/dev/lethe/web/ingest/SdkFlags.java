package dev.lethe.web.ingest;

import io.javalin.http.Context;

import java.util.regex.Pattern;

/** Flags read before the body, so even a request whose body cannot be read gets the answer it asked for. */
final class SdkFlags {

    private static final Pattern VERBOSE = Pattern.compile("(^|&)verbose=(1|true)(&|$)", Pattern.CASE_INSENSITIVE);

    private SdkFlags() {
    }

    static boolean verboseInQuery(Context ctx) {
        String query = ctx.queryString();
        return query != null && VERBOSE.matcher(query).find();
    }
}
