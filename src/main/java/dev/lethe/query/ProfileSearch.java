package dev.lethe.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.crypto.InstanceKey;
import dev.lethe.domain.DomainException;
import dev.lethe.json.Json;
import dev.lethe.profile.ProfileStore;
import dev.lethe.store.IndexKeys;
import dev.lethe.store.Sql;
import dev.lethe.suppression.SuppressionStore;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The profile query behind engage. Pages are keyset pages in person-key order (the keyed hash the
 * profiles' primary key holds, see {@link IndexKeys}): a page starts after the last key of the page
 * before (carried in the session_id), so profiles added or removed
 * meanwhile never shift a later page; the listing neither repeats nor skips a profile that exists
 * throughout. Memory is one chunk of profiles whatever the project's size.
 */
public final class ProfileSearch {

    /** Profiles read per store query. */
    static final int CHUNK = 1_000;

    private final ProfileStore profiles;
    private final SuppressionStore suppressions;
    private final InstanceKey key;

    public ProfileSearch(ProfileStore profiles, SuppressionStore suppressions, InstanceKey key) {
        this.profiles = profiles;
        this.suppressions = suppressions;
        this.key = key;
    }

    public ProfilePage search(long projectId, EngageRequest r) {
        String fingerprint = EngageSession.fingerprint(projectId, r);
        List<Wanted> wanted = wanted(projectId, r.ids());
        byte[] after;
        long skip;
        long total;
        if (r.sessionId() == null) {
            after = null;
            skip = 0;
            total = total(projectId, r, wanted);
        } else {
            EngageSession s = EngageSession.open(key, r.sessionId());
            if (!s.fingerprint().equals(fingerprint)) {
                throw DomainException.invalidInput("session_id belongs to another query (ids, where or page_size differ)");
            }
            if (r.page() < s.nextPage()) {
                throw DomainException.invalidInput("page " + r.page() + " is before this session_id's page " + s.nextPage()
                        + "; start again from page 0");
            }
            after = s.afterKey();
            // why: a client that reuses the first session_id for every page gets offset paging from that point
            skip = (long) (r.page() - s.nextPage()) * r.pageSize();
            total = s.total();
        }
        List<ProfilePage.Profile> results = new ArrayList<>(Math.min(r.pageSize(), CHUNK));
        byte[] last = scan(projectId, r, wanted, after, skip, r.pageSize(), p -> results.add(output(p, r.outputProperties())));
        String session = new EngageSession(fingerprint, r.page() + 1, last == null ? after : last, total).seal(key);
        return new ProfilePage(r.page(), r.pageSize(), session, total, results);
    }

    private long total(long projectId, EngageRequest r, List<Wanted> wanted) {
        if (r.ids() == null && r.where().matchesAll() && !suppressions.hasAny(projectId)) {
            return profiles.count(projectId);
        }
        long[] n = {0};
        scan(projectId, r, wanted, null, 0, Long.MAX_VALUE, p -> n[0]++);
        return n[0];
    }

    /** A requested id with its person key, the order profiles are listed in. */
    private record Wanted(byte[] key, String id) {
    }

    /** The requested ids in the store's listing order, or null for a listing of the whole project. */
    private List<Wanted> wanted(long projectId, List<String> ids) {
        if (ids == null) {
            return null;
        }
        List<Wanted> out = new ArrayList<>(ids.size());
        for (String id : ids) {
            out.add(new Wanted(profiles.key(projectId, id), id));
        }
        out.sort((a, b) -> IndexKeys.compare(a.key(), b.key()));
        return out;
    }

    /**
     * Calls {@code sink} with up to {@code want} matching profiles after {@code afterKey}, having
     * passed over the first {@code skip} matches; returns the key of the last one given, or null.
     */
    private byte[] scan(long projectId, EngageRequest r, List<Wanted> wanted, byte[] afterKey, long skip, long want,
                        java.util.function.Consumer<ProfilePage.Profile> sink) {
        byte[] cursor = afterKey;
        byte[] last = null;
        long skipped = 0;
        long given = 0;
        while (given < want) {
            List<ProfileStore.Row> chunk = next(projectId, wanted, cursor);
            if (chunk.isEmpty()) {
                break;
            }
            Set<String> suppressed = suppressedIn(projectId, chunk);
            for (ProfileStore.Row row : chunk) {
                if (given >= want) {
                    break;
                }
                cursor = row.key();
                // why: a profile whose key is gone (restored from a backup taken before its erasure) is erased content
                if (!row.readable() || suppressed.contains(row.distinctId())) {
                    continue;
                }
                ObjectNode properties = (ObjectNode) Json.readTrusted(row.propertiesJson());
                if (!r.where().test(properties)) {
                    continue;
                }
                if (skipped < skip) {
                    skipped++;
                    continue;
                }
                sink.accept(new ProfilePage.Profile(row.distinctId(), properties));
                last = row.key();
                given++;
            }
        }
        return last;
    }

    private List<ProfileStore.Row> next(long projectId, List<Wanted> wanted, byte[] after) {
        if (wanted == null) {
            return profiles.scan(projectId, after, CHUNK);
        }
        // why: the ids are sorted by key in Java and looked up a chunk at a time, so the cursor is compared the same way it was sorted
        int from = 0;
        while (from < wanted.size() && after != null && IndexKeys.compare(wanted.get(from).key(), after) <= 0) {
            from++;
        }
        while (from < wanted.size()) {
            int to = Math.min(wanted.size(), from + Sql.MAX_IN);
            List<String> rest = wanted.subList(from, to).stream().map(Wanted::id).toList();
            List<ProfileStore.Row> found = new ArrayList<>(profiles.some(projectId, rest));
            if (!found.isEmpty()) {
                found.sort((a, b) -> IndexKeys.compare(a.key(), b.key()));
                return found;
            }
            from = to;
        }
        return List.of();
    }

    private Set<String> suppressedIn(long projectId, List<ProfileStore.Row> chunk) {
        if (!suppressions.hasAny(projectId)) {
            return Set.of();
        }
        Set<String> ids = new LinkedHashSet<>();
        chunk.stream().filter(ProfileStore.Row::readable).forEach(r -> ids.add(r.distinctId()));
        return suppressions.suppressedAmong(projectId, ids);
    }

    private static ProfilePage.Profile output(ProfilePage.Profile p, List<String> outputProperties) {
        if (outputProperties == null) {
            return p;
        }
        ObjectNode trimmed = Json.object();
        for (String name : outputProperties) {
            JsonNode v = p.properties().get(name);
            if (v != null) {
                trimmed.set(name, v);
            }
        }
        return new ProfilePage.Profile(p.distinctId(), trimmed);
    }
}
