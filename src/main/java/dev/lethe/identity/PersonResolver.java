package dev.lethe.identity;

import dev.lethe.store.Database;
import dev.lethe.store.Tx;

import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Given some ids, returns every id a request for them covers: the people they name. A
 * breadth-first walk over the OWNER and SAME rows ({@link LinkRole#covers()}), one indexed query
 * per level, so its cost follows the size of the person, not of the store. A request for an
 * anonymous id that joined someone covers that id alone: the walk never climbs a MEMBER row.
 */
public final class PersonResolver {

    /**
     * A bound on one resolution. Ingestion keeps a person under {@code IdentityLinker}'s cap, so
     * only links written before it existed can reach this; the operator then erases by exact ids
     * ({@code lethe admin identity detach}, docs/identity.md).
     */
    public static final int MAX_IDS = 100_000;

    /** How an id came into a resolution: requested, or reached from {@code via} through a link of {@code kind}. */
    public record Reach(String via, LinkKind kind, LinkRole role) {
        static final Reach REQUESTED = new Reach(null, null, null);

        public String describe() {
            return via == null ? "requested" : kind.name().toLowerCase() + (role == LinkRole.OWNER ? " (joined)" : "")
                    + " via " + via;
        }
    }

    private final Database db;
    private final IdentityStore links;
    private final int maxIds;

    public PersonResolver(Database db, IdentityStore links) {
        this(db, links, MAX_IDS);
    }

    /** With another bound than {@link #MAX_IDS}: tests of what happens past the bound, without building 100,000 links. */
    public PersonResolver(Database db, IdentityStore links, int maxIds) {
        this.db = db;
        this.links = links;
        this.maxIds = maxIds;
    }

    /** The requested ids plus every id they cover, sorted. */
    public Set<String> resolve(long projectId, Collection<String> ids) {
        return db.withConnection(c -> resolve(c, projectId, ids));
    }

    public Set<String> resolve(Tx c, long projectId, Collection<String> ids) throws SQLException {
        return new TreeSet<>(walk(c, projectId, ids, maxIds, true).keySet());
    }

    /** Each covered id with how it was reached, sorted by id. */
    public Map<String, Reach> explain(long projectId, Collection<String> ids) {
        return db.withConnection(c -> new TreeMap<>(walk(c, projectId, ids, maxIds, true)));
    }

    /**
     * The ids a request for {@code id} covers, but no more than about {@code limit + 1} of them (the
     * walk stops at the level that passes the limit), so checking a cap costs no more than the cap.
     */
    public Set<String> coverUpTo(Tx c, long projectId, String id, int limit) throws SQLException {
        return walk(c, projectId, List.of(id), limit, false).keySet();
    }

    private Map<String, Reach> walk(Tx c, long projectId, Collection<String> ids, int limit, boolean failOverLimit)
            throws SQLException {
        Map<String, Reach> seen = new LinkedHashMap<>();
        for (String id : ids) {
            seen.put(id, Reach.REQUESTED);
        }
        Set<String> frontier = new LinkedHashSet<>(ids);
        while (!frontier.isEmpty()) {
            Set<String> next = new LinkedHashSet<>();
            for (Map.Entry<String, List<IdentityStore.Edge>> from : links.covered(c, projectId, frontier).entrySet()) {
                for (IdentityStore.Edge edge : from.getValue()) {
                    if (seen.putIfAbsent(edge.other(), new Reach(from.getKey(), edge.kind(), edge.role())) == null) {
                        next.add(edge.other());
                    }
                }
            }
            if (seen.size() > limit) {
                if (failOverLimit) {
                    throw new IllegalStateException("a person spans more than " + limit + " linked ids");
                }
                return seen;
            }
            frontier = next;
        }
        return seen;
    }
}
