package dev.lethe.web.query;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.domain.DomainException;
import dev.lethe.json.Json;
import dev.lethe.web.ingest.BodyReader;
import io.javalin.http.Context;

import java.util.List;

/**
 * What Lethe holds nothing of, answered truthfully: it has no cohorts and no annotations (empty
 * lists, after the same authentication as any read), and it computes no reports (501).
 */
public final class NoReportHandlers {

    /** Mixpanel report endpoints under /api/2.0 and /api/query that connectors call; each answers 501. */
    public static final List<String> REPORTS = List.of("segmentation", "segmentation/numeric", "segmentation/sum",
            "segmentation/average", "funnels", "funnels/list", "retention", "retention/addiction", "insights", "jql",
            "events", "events/top", "events/properties", "events/properties/values", "stream/query", "engage/revenue",
            "arb_funnels");

    private final ReadAccess access;
    private final BodyReader bodies;

    NoReportHandlers(ReadAccess access, BodyReader bodies) {
        this.access = access;
        this.bodies = bodies;
    }

    /** {@code /api/query/cohorts/list}: a bare JSON array, empty. */
    public void cohorts(Context ctx) {
        access.project(ctx, ReadParams.queryAndForm(ctx, bodies).get("project_id"));
        ctx.json(Json.MAPPER.createArrayNode());
    }

    /** {@code GET /api/app/projects/{projectId}/annotations}: {@code {"status":"ok","results":[]}}. */
    public void annotations(Context ctx) {
        ReadParams.query(ctx);
        access.project(ctx, ctx.pathParam("projectId"));
        ObjectNode body = Json.object();
        body.put("status", "ok");
        body.putArray("results");
        ctx.json(body);
    }

    /** {@code GET /api/app/projects/{projectId}/annotations/tags}: a bare JSON array, empty. */
    public void annotationTags(Context ctx) {
        ReadParams.query(ctx);
        access.project(ctx, ctx.pathParam("projectId"));
        ctx.json(Json.MAPPER.createArrayNode());
    }

    public void report(Context ctx) {
        throw DomainException.notImplemented("Lethe stores and exports events but does not compute reports: "
                + ctx.path() + " is not served; use /api/2.0/export and compute it from the events");
    }
}
