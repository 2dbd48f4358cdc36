package dev.lethe.web;

import dev.lethe.metrics.LetheMetrics;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import org.slf4j.MDC;

import java.time.Duration;
import java.util.UUID;

/**
 * What every request carries through the server: a request id, put in the log context (MDC key
 * {@value #MDC_KEY}) and answered in {@value #HEADER}, and the request's entry in the metrics
 * under its matched route template. The id is Lethe's own, never taken from the request, so
 * nothing a client sends reaches the log this way.
 */
public final class RequestContext {

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "request_id";
    /** The route label of a request that matched no route: one label, whatever path was asked for. */
    static final String UNMATCHED = "unmatched";

    private final LetheMetrics metrics;

    public RequestContext(LetheMetrics metrics) {
        this.metrics = metrics;
    }

    /** A before-handler: names the request. */
    void begin(Context ctx) {
        String id = UUID.randomUUID().toString();
        MDC.put(MDC_KEY, id);
        ctx.header(HEADER, id);
    }

    /** Javalin's request logger, called once the answer is complete (errors included): counts it and clears the log context. */
    void end(Context ctx, float executionMs) {
        try {
            metrics.request(route(ctx), ctx.method().name(), ctx.statusCode(), Duration.ofNanos((long) (executionMs * 1_000_000L)));
        } finally {
            MDC.remove(MDC_KEY);
        }
    }

    private static String route(Context ctx) {
        // why: a request that matched no endpoint never left the BEFORE stage; its raw path could hold anything, ids included
        if (ctx.handlerType() == HandlerType.BEFORE) {
            return UNMATCHED;
        }
        String template = ctx.endpointHandlerPath();
        return template == null || template.isEmpty() ? UNMATCHED : template;
    }
}
