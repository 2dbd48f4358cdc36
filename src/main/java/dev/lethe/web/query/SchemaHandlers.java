package dev.lethe.web.query;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.domain.DomainException;
import dev.lethe.event.EventSchemaStore;
import dev.lethe.json.Json;
import dev.lethe.profile.ProfileProperties;
import dev.lethe.project.Project;
import dev.lethe.query.Params;
import io.javalin.http.Context;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What data a project holds, by name: event names, an event's properties, profile property names
 * (Query API shapes), and the same as Lexicon schemas (App API). Read from the small tables
 * ingestion keeps, never from the events.
 */
public final class SchemaHandlers {

    /** The entity name Lexicon gives user profiles. */
    static final String PROFILE_ENTITY = "$user";
    private static final Set<String> TYPES = Set.of("general", "unique", "average");

    private final ReadAccess access;
    private final EventSchemaStore events;
    private final ProfileProperties profiles;

    SchemaHandlers(ReadAccess access, EventSchemaStore events, ProfileProperties profiles) {
        this.access = access;
        this.events = events;
        this.profiles = profiles;
    }

    /** {@code GET /api/2.0/events/names}: a JSON array of event names, most frequent first. */
    public void eventNames(Context ctx) {
        ReadParams params = ReadParams.query(ctx);
        Project project = access.project(ctx, params.get("project_id"));
        String type = params.get("type");
        if (type != null && !TYPES.contains(type)) {
            throw DomainException.invalidInput("type must be general, unique or average");
        }
        int limit = limit(params.get("limit"), 255);
        ArrayNode out = Json.MAPPER.createArrayNode();
        events.names(project.id(), limit).forEach(n -> out.add(n.name()));
        ctx.json(out);
    }

    /** {@code GET /api/2.0/events/properties/top}: {@code {"name": {"count": n}}}, most frequent first. */
    public void topProperties(Context ctx) {
        ReadParams params = ReadParams.query(ctx);
        Project project = access.project(ctx, params.get("project_id"));
        String event = params.get("event");
        if (event == null || event.isBlank()) {
            throw DomainException.invalidInput("event is required (one event name)");
        }
        ObjectNode out = Json.object();
        for (EventSchemaStore.PropertyCount p : events.properties(project.id(), event, limit(params.get("limit"), 10))) {
            out.putObject(p.property()).put("count", p.events());
        }
        ctx.json(out);
    }

    /** {@code GET /api/2.0/engage/properties}: {@code {"name": {"count": profiles holding it}}}, most held first. */
    public void profileProperties(Context ctx) {
        ReadParams params = ReadParams.query(ctx);
        Project project = access.project(ctx, params.get("project_id"));
        ObjectNode out = Json.object();
        for (ProfileProperties.Count p : profiles.list(project.id(), limit(params.get("limit"), 1000))) {
            out.putObject(p.property()).put("count", p.profiles());
        }
        ctx.json(out);
    }

    /** {@code GET /api/app/projects/{projectId}/schemas[/{entityType}[/{name}]]}: Lexicon's list shape. */
    public void lexicon(Context ctx) {
        ReadParams params = ReadParams.query(ctx);
        Project project = access.project(ctx, ctx.pathParam("projectId"));
        String entityType = ctx.pathParamMap().get("entityType");
        String name = ctx.pathParamMap().get("name");
        if (entityType != null && !entityType.equals("event") && !entityType.equals("profile")) {
            throw DomainException.invalidInput("entityType must be event or profile");
        }
        String only = params.get("entity_name") != null ? params.get("entity_name") : name;
        ArrayNode results = Json.MAPPER.createArrayNode();
        if (entityType == null || entityType.equals("event")) {
            for (Map.Entry<String, List<EventSchemaStore.PropertyCount>> e : events.all(project.id()).entrySet()) {
                if (only == null || only.equals(e.getKey())) {
                    ObjectNode props = Json.object();
                    e.getValue().forEach(p -> props.putObject(p.property()).put("type", p.type()));
                    results.add(entity("event", e.getKey(), props));
                }
            }
        }
        if ((entityType == null || entityType.equals("profile")) && (only == null || only.equals(PROFILE_ENTITY))) {
            ObjectNode props = Json.object();
            profiles.list(project.id(), Integer.MAX_VALUE).forEach(p -> props.putObject(p.property()).put("type", p.type()));
            if (!props.isEmpty()) {
                results.add(entity("profile", PROFILE_ENTITY, props));
            }
        }
        if (name != null && results.isEmpty()) {
            throw DomainException.notFound("no " + entityType + " schema named " + name);
        }
        ObjectNode body = Json.object();
        body.set("results", results);
        body.put("status", "ok");
        ctx.json(body);
    }

    /** Lexicon writes: Lethe derives schemas from the data and keeps no descriptions. */
    public void lexiconWrite(Context ctx) {
        throw DomainException.notImplemented("Lethe derives schemas from the stored data; editing Lexicon schemas is not supported");
    }

    private static ObjectNode entity(String type, String name, ObjectNode properties) {
        ObjectNode e = Json.object();
        e.put("entityType", type);
        e.put("name", name);
        e.putObject("schemaJson").set("properties", properties);
        return e;
    }

    private static int limit(String value, int dflt) {
        Integer n = Params.integer("limit", value, 1, 100_000);
        return n == null ? dflt : n;
    }
}
