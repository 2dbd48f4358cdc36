package dev.lethe.identity;

import dev.lethe.store.Database;
import dev.lethe.store.Tx;

import java.sql.SQLException;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * Given some ids, returns every id linked to them, transitively: the people they belong
 * to. A breadth-first walk over the links, one indexed query per level, so its cost
 * follows the size of the person, not of the store.
 */
public final class PersonResolver {

    /** A bound on one resolution, so a pathological link graph cannot run away. */
    public static final int MAX_IDS = 100_000;

    private final Database db;
    private final IdentityStore links;

    public PersonResolver(Database db, IdentityStore links) {
        this.db = db;
        this.links = links;
    }

    /** The requested ids plus every id linked to them, sorted. */
    public Set<String> resolve(long projectId, Collection<String> ids) {
        return db.withConnection(c -> resolve(c, projectId, ids));
    }

    public Set<String> resolve(Tx tx, long projectId, Collection<String> ids) throws SQLException {
        Set<String> seen = new HashSet<>(ids);
        Set<String> frontier = new LinkedHashSet<>(ids);
        while (!frontier.isEmpty()) {
            Set<String> next = new LinkedHashSet<>();
            for (String id : links.neighbours(tx, projectId, frontier)) {
                if (seen.add(id)) {
                    next.add(id);
                }
            }
            if (seen.size() > MAX_IDS) {
                throw new IllegalStateException("a person spans more than " + MAX_IDS + " linked ids");
            }
            frontier = next;
        }
        return new TreeSet<>(seen);
    }
}
