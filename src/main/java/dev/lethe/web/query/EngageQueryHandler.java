package dev.lethe.web.query;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.json.Json;
import dev.lethe.query.EngageRequest;
import dev.lethe.query.ProfilePage;
import dev.lethe.query.ProfileSearch;
import dev.lethe.web.ingest.BodyReader;
import io.javalin.http.Context;

/** {@code GET|POST /api/2.0/engage} and {@code POST /api/query/engage}: a page of profiles in Mixpanel's shape. */
public final class EngageQueryHandler {

    private final ReadAccess access;
    private final ProfileSearch search;
    private final BodyReader bodies;

    EngageQueryHandler(ReadAccess access, ProfileSearch search, BodyReader bodies) {
        this.access = access;
        this.search = search;
        this.bodies = bodies;
    }

    public void handle(Context ctx) {
        ReadParams params = ReadParams.queryAndForm(ctx, bodies);
        ProfilePage page;
        try (ReadAccess.Call call = access.enter(ctx, params.get("project_id"))) {
            page = search.search(call.project().id(), EngageRequest.parse(params::get));
        }
        ObjectNode body = Json.object();
        body.put("page", page.page());
        body.put("page_size", page.pageSize());
        body.put("session_id", page.sessionId());
        body.put("status", "ok");
        body.put("total", page.total());
        ArrayNode results = body.putArray("results");
        for (ProfilePage.Profile p : page.results()) {
            ObjectNode r = results.addObject();
            r.put("$distinct_id", p.distinctId());
            r.set("$properties", p.properties());
        }
        ctx.status(200).json(body);
    }
}
