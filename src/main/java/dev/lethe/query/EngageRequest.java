package dev.lethe.query;

import dev.lethe.domain.DomainException;
import dev.lethe.query.where.Scope;
import dev.lethe.query.where.Where;

import java.util.List;
import java.util.TreeSet;

/**
 * A profile query (Mixpanel's engage): some ids or all profiles, filtered by {@code where},
 * a page of them.
 *
 * @param ids              sorted and distinct, or null for every profile
 * @param outputProperties null for all properties
 * @param sessionId        null on the first request of a listing
 */
public record EngageRequest(List<String> ids, Where where, List<String> outputProperties, int page, int pageSize,
                            String sessionId) {

    public static final int MAX_PAGE_SIZE = 1000;
    /** At most this many ids by {@code distinct_ids}; a longer list is a listing of its own. */
    public static final int MAX_IDS = 2000;

    /** Parses the parameters as Mixpanel names them; a refusal names the parameter. */
    public static EngageRequest parse(Lookup params) {
        refuse(params, "data_group_id", "engage queries of group profiles are not supported: group profiles sent to /groups are stored, but only user profiles are served here");
        refuse(params, "filter_by_cohort", "Lethe has no cohorts");
        refuse(params, "behaviors", "behavior selectors are not supported: Lethe does not compute reports");
        TreeSet<String> ids = null;
        String one = params.get("distinct_id");
        List<String> many = Params.stringArray("distinct_ids", params.get("distinct_ids"), MAX_IDS);
        if (one != null && !one.isBlank() || many != null) {
            ids = new TreeSet<>();
            if (one != null && !one.isBlank()) {
                ids.add(one.trim());
            }
            if (many != null) {
                ids.addAll(many);
            }
        }
        Where where = Params.where(params.get("where"), Scope.PROFILES);
        List<String> output = Params.stringArray("output_properties", params.get("output_properties"), 1000);
        Integer page = Params.integer("page", params.get("page"), 0, Integer.MAX_VALUE);
        Integer size = Params.integer("page_size", params.get("page_size"), 1, MAX_PAGE_SIZE);
        String session = params.get("session_id");
        session = session == null || session.isBlank() ? null : session.trim();
        int p = page == null ? 0 : page;
        if (p > 0 && session == null) {
            throw DomainException.invalidInput("page " + p + " needs the session_id of the previous page");
        }
        return new EngageRequest(ids == null ? null : List.copyOf(ids), where, output, p, size == null ? MAX_PAGE_SIZE : size, session);
    }

    private static void refuse(Lookup params, String name, String why) {
        String v = params.get(name);
        if (v != null && !v.isBlank()) {
            throw DomainException.invalidInput(name + ": " + why);
        }
    }

    /** Parameter lookup (query string or form), independent of HTTP. */
    @FunctionalInterface
    public interface Lookup {
        String get(String name);
    }
}
