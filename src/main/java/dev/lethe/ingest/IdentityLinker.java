package dev.lethe.ingest;

import dev.lethe.event.EventStore;
import dev.lethe.identity.AnonymousIds;
import dev.lethe.identity.IdentityStore;
import dev.lethe.identity.LinkKind;
import dev.lethe.identity.LinkRole;
import dev.lethe.identity.PersonResolver;
import dev.lethe.profile.ProfileStore;

import dev.lethe.store.Tx;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;

/**
 * Mixpanel's identity-merge rules applied to the links events claim (docs/identity.md). With the
 * public project token an anonymous id may join an identified person and a new id may become an
 * alias of one, but two identified people never merge; only a {@code $merge} sent with a secret
 * credential does that. Every person stays under {@link #MAX_PERSON_IDS}, so no claim can make a
 * person too large to retrieve or erase. A refused claim drops the link, never the event.
 */
public final class IdentityLinker {

    /** Mixpanel's original ID merge refuses a merge that would make a cluster of 500 ids. */
    public static final int MAX_PERSON_IDS = 500;

    /** Why a claim was refused; names only, never ids, so they may be logged and counted. */
    public enum Refusal {
        /** Both ends are the same id. */
        SAME_ID,
        /** The id that would join is identified, not of an anonymous shape, or a bare generated id with a profile. */
        NOT_ANONYMOUS,
        /** The anonymous id already joined another person: one user per device, the first link wins. */
        ALREADY_JOINED,
        /** The id to join is itself anonymous ({@code $device:...}, or an id that joined someone). */
        ANONYMOUS_TARGET,
        /** The alias is already linked or has events or a profile of its own. */
        ALIAS_IN_USE,
        /** Merging two identified people needs the api_secret. */
        TWO_IDENTIFIED,
        /** The person would reach the cap of ids ({@link #MAX_PERSON_IDS} unless configured). */
        TOO_MANY_IDS
    }

    /** {@code refusal} is null when the link was made or was already there. */
    public record Result(boolean added, Refusal refusal) {
        static final Result ADDED = new Result(true, null);
        static final Result PRESENT = new Result(false, null);

        static Result refused(Refusal why) {
            return new Result(false, why);
        }
    }

    /** What one id is in the graph: a name of a person, and/or the id it joined as an anonymous member. */
    private record Status(boolean name, String joined) {
    }

    private final IdentityStore links;
    private final PersonResolver resolver;
    private final EventStore events;
    private final ProfileStore profiles;
    private final int maxPersonIds;

    public IdentityLinker(IdentityStore links, PersonResolver resolver, EventStore events, ProfileStore profiles) {
        this(links, resolver, events, profiles, MAX_PERSON_IDS);
    }

    /** With another cap than {@link #MAX_PERSON_IDS} ({@code LetheConfig.maxPersonIds}). */
    public IdentityLinker(IdentityStore links, PersonResolver resolver, EventStore events, ProfileStore profiles,
                          int maxPersonIds) {
        if (maxPersonIds < 2) {
            throw new IllegalArgumentException("a person needs room for at least 2 ids");
        }
        this.links = links;
        this.resolver = resolver;
        this.events = events;
        this.profiles = profiles;
        this.maxPersonIds = maxPersonIds;
    }

    public Result apply(Tx c, long projectId, IdentityLink link, Credential credential, long now) throws SQLException {
        if (link.a().equals(link.b())) {
            return Result.refused(Refusal.SAME_ID);
        }
        if ((link.kind() == LinkKind.IDENTIFY || link.kind() == LinkKind.DEVICE)
                && link.b().equals(status(c, projectId, link.a()).joined())) {
            // why: the browser SDK repeats its device link on every event; a link already made needs no lock.
            return Result.PRESENT;
        }
        c.lockProjectIdentity(projectId);
        return switch (link.kind()) {
            case IDENTIFY, DEVICE -> join(c, projectId, link.a(), link.b(), link.kind(), now);
            case ALIAS -> alias(c, projectId, link.a(), link.b(), now);
            case MERGE -> credential == Credential.SECRET
                    ? merge(c, projectId, link.a(), link.b(), now)
                    : publicMerge(c, projectId, link.a(), link.b(), now);
            case PROFILE -> throw new IllegalArgumentException("no event claims a profile mark");
        };
    }

    /** The anonymous id {@code member} joins the person {@code target} names. */
    private Result join(Tx c, long projectId, String member, String target, LinkKind kind, long now) throws SQLException {
        Status m = status(c, projectId, member);
        if (m.joined() != null) {
            return m.joined().equals(target) ? Result.PRESENT : Result.refused(Refusal.ALREADY_JOINED);
        }
        if (!anonymous(c, projectId, member, m)) {
            return Result.refused(Refusal.NOT_ANONYMOUS);
        }
        if (target.startsWith(AnonymousIds.DEVICE_PREFIX) || status(c, projectId, target).joined() != null) {
            return Result.refused(Refusal.ANONYMOUS_TARGET);
        }
        if (resolver.coverUpTo(c, projectId, target, maxPersonIds).size() + 1 > maxPersonIds) {
            return Result.refused(Refusal.TOO_MANY_IDS);
        }
        links.join(c, projectId, member, target, kind, now);
        return Result.ADDED;
    }

    /**
     * {@code $create_alias}. From an anonymous id it is the SDKs' sign-up flow: the anonymous id joins
     * the alias, as with {@code $identify}. From an identified id the alias becomes a new name of that
     * person, so it must be new: an id that is linked or has records of its own is someone already.
     */
    private Result alias(Tx c, long projectId, String alias, String existing, long now) throws SQLException {
        Status e = status(c, projectId, existing);
        if (anonymous(c, projectId, existing, e)) {
            return join(c, projectId, existing, alias, LinkKind.ALIAS, now);
        }
        if (e.joined() != null) {
            return Result.refused(Refusal.ANONYMOUS_TARGET);
        }
        List<IdentityStore.Edge> aliasEdges = links.edges(c, projectId, alias);
        if (!aliasEdges.isEmpty()) {
            boolean same = aliasEdges.stream().anyMatch(x -> x.other().equals(existing) && x.role() == LinkRole.SAME);
            return same ? Result.PRESENT : Result.refused(Refusal.ALIAS_IN_USE);
        }
        if (events.count(c, projectId, List.of(alias)) > 0 || profiles.count(c, projectId, List.of(alias)) > 0) {
            return Result.refused(Refusal.ALIAS_IN_USE);
        }
        if (resolver.coverUpTo(c, projectId, existing, maxPersonIds).size() + 1 > maxPersonIds) {
            return Result.refused(Refusal.TOO_MANY_IDS);
        }
        links.link(c, projectId, alias, existing, LinkKind.ALIAS, now);
        return Result.ADDED;
    }

    /**
     * {@code $merge} with only the project token: what a CDP sends as {@code [userId, anonymousId]}.
     * The anonymous one joins the other; when both look anonymous the second joins the first.
     */
    private Result publicMerge(Tx c, long projectId, String first, String second, long now) throws SQLException {
        if (anonymous(c, projectId, second, status(c, projectId, second))) {
            return join(c, projectId, second, first, LinkKind.MERGE, now);
        }
        if (anonymous(c, projectId, first, status(c, projectId, first))) {
            return join(c, projectId, first, second, LinkKind.MERGE, now);
        }
        return Result.refused(Refusal.TWO_IDENTIFIED);
    }

    /**
     * Whether {@code id} may join a person through a public-token claim: of an anonymous shape and no name of anyone.
     * A bare id of the generated shape with a profile is taken for a user: apps use UUIDs as user ids, and the SDKs
     * send no profile for an anonymous id (they hold profile updates until {@code identify}). A {@code $device:} id
     * is always an SDK's.
     */
    private boolean anonymous(Tx c, long projectId, String id, Status s) throws SQLException {
        if (s.name() || !AnonymousIds.looksAnonymous(id)) {
            return false;
        }
        return id.startsWith(AnonymousIds.DEVICE_PREFIX) || profiles.count(c, projectId, List.of(id)) == 0;
    }

    /** {@code $merge} with a secret credential: the two people become one, whatever they are, under the cap. */
    private Result merge(Tx c, long projectId, String first, String second, long now) throws SQLException {
        String a = personOf(c, projectId, first);
        String b = personOf(c, projectId, second);
        Set<String> personA = resolver.coverUpTo(c, projectId, a, maxPersonIds);
        if (personA.contains(b)) {
            return Result.PRESENT;
        }
        Set<String> personB = resolver.coverUpTo(c, projectId, b, maxPersonIds);
        if (personA.size() + personB.size() > maxPersonIds) {
            return Result.refused(Refusal.TOO_MANY_IDS);
        }
        links.link(c, projectId, a, b, LinkKind.MERGE, now);
        return Result.ADDED;
    }

    /** The id that names the person {@code id} belongs to: the one it joined, else itself. */
    private String personOf(Tx c, long projectId, String id) throws SQLException {
        String joined = status(c, projectId, id).joined();
        return joined != null ? joined : id;
    }

    private Status status(Tx c, long projectId, String id) throws SQLException {
        boolean name = false;
        String joined = null;
        for (IdentityStore.Edge edge : links.edges(c, projectId, id)) {
            if (edge.role() == LinkRole.MEMBER) {
                joined = edge.other();
            } else {
                name = true;
            }
        }
        return new Status(name, joined);
    }
}
