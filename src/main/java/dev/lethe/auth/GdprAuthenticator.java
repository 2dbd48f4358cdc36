package dev.lethe.auth;

import dev.lethe.crypto.Secrets;
import dev.lethe.domain.DomainException;
import dev.lethe.project.Project;
import dev.lethe.project.ProjectStore;
import dev.lethe.project.Region;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Authenticates a GDPR API request, in this order (docs/gdpr-api.md):
 * credentials (401), the {@code token} parameter (400), the project and the caller's role
 * on it (403, one message for both so an unknown token is not revealed), the region (403).
 * A success is remembered for a short while ({@link CallerCache}); refusals never are.
 */
public final class GdprAuthenticator {

    /** The credentials as sent: the Authorization header and the {@code token} query parameter. */
    public record Request(String authorization, String projectToken) {
    }

    /**
     * A verified user or service account; {@code roleOn} looks up its role on a project;
     * {@code expiresAt} is when the credential stops being valid, epoch ms.
     */
    private record Principal(String name, java.util.function.LongFunction<Optional<Role>> roleOn, long expiresAt, String kind) {
    }

    /** How long a successful authentication is reused: the bound on staleness across processes. */
    public static final Duration CACHE_TTL = Duration.ofSeconds(1);
    static final int CACHE_ENTRIES = 10_000;
    private static final String NO_ACCESS = "no owner or admin access to a project with this token";

    private final TokenStore tokens;
    private final UserStore users;
    private final ServiceAccountStore serviceAccounts;
    private final ProjectStore projects;
    private final Region region;
    private final Clock clock;
    private final CredentialChanges changes;
    private final CallerCache cache;

    /**
     * @param changes moved on by the stores when a credential or role changes in this process
     * @param cacheTtl how long a success is reused ({@link #CACHE_TTL}); zero turns reuse off
     */
    public GdprAuthenticator(TokenStore tokens, UserStore users, ServiceAccountStore serviceAccounts,
                             ProjectStore projects, Region region, Clock clock, CredentialChanges changes,
                             Duration cacheTtl) {
        this.tokens = tokens;
        this.users = users;
        this.serviceAccounts = serviceAccounts;
        this.projects = projects;
        this.region = region;
        this.clock = clock;
        this.changes = changes;
        this.cache = new CallerCache(changes, clock, cacheTtl, CACHE_ENTRIES);
    }

    public GdprCaller authenticate(Request request) {
        Credential credential = Credential.parse(request.authorization());
        boolean hasProjectToken = request.projectToken() != null && !request.projectToken().isBlank();
        String key = hasProjectToken ? credential.hash() + ' ' + request.projectToken() : null;
        if (key != null) {
            GdprCaller cached = cache.get(key);
            if (cached != null) {
                return cached;
            }
        }
        // why: read before the store, so a change committed while we look makes what we cache stale
        long generation = changes.current();
        long now = clock.millis();
        Principal principal = verify(credential, now);
        if (!hasProjectToken) {
            throw DomainException.invalidInput("the token query parameter (the project token) is required");
        }
        Optional<Project> project = projects.byToken(request.projectToken());
        if (project.isEmpty()) {
            throw DomainException.forbidden(NO_ACCESS);
        }
        Role role = principal.roleOn().apply(project.get().id()).filter(Role::mayUseGdpr)
                .orElseThrow(() -> DomainException.forbidden(NO_ACCESS));
        GdprCaller caller = new GdprCaller(region.admit(project.get()), principal.name(), principal.kind(), role);
        cache.put(key, caller, generation, now, principal.expiresAt());
        return caller;
    }

    /** Checks the credential itself: 401 when it does not hold, whatever the project. */
    private Principal verify(Credential credential, long now) {
        if (credential.bearer() != null) {
            TokenStore.TokenRecord token = tokens.find(credential.bearer())
                    .orElseThrow(() -> DomainException.unauthenticated("unknown or malformed GDPR token"));
            if (token.revokedAt() != null) {
                throw DomainException.unauthenticated("this GDPR token has been revoked");
            }
            if (!token.usableAt(now)) {
                throw DomainException.unauthenticated("this GDPR token has expired");
            }
            UserStore.User user = users.byId(token.userId())
                    .orElseThrow(() -> DomainException.unauthenticated("unknown or malformed GDPR token"));
            return new Principal(user.email(), projectId -> users.role(user.id(), projectId), token.expiresAt(), "user");
        }
        ServiceAccountStore.Account account = serviceAccounts.authenticate(credential.username(), credential.secret())
                .orElseThrow(() -> DomainException.unauthenticated("unknown service account or wrong secret"));
        return new Principal(account.username(), projectId -> serviceAccounts.role(account.id(), projectId),
                Long.MAX_VALUE, "service_account");
    }

    /** A bearer token, or a service account's username and secret. */
    private record Credential(String bearer, String username, String secret) {

        /** A one-way name for the credential, to key the cache by: never the credential itself. */
        String hash() {
            // why: Basic splits at the first colon, so a username holds none and the pair is unambiguous
            return bearer != null ? "b" + Secrets.sha256Hex(bearer) : "s" + Secrets.sha256Hex(username + ':' + secret);
        }

        static Credential parse(String header) {
            if (header == null || header.isBlank()) {
                throw DomainException.unauthenticated("credentials required: Authorization: Bearer <GDPR token>, "
                        + "or HTTP Basic with a service account");
            }
            String h = header.trim();
            int space = h.indexOf(' ');
            String scheme = space < 0 ? h : h.substring(0, space);
            String value = space < 0 ? "" : h.substring(space + 1).trim();
            if (scheme.equalsIgnoreCase("Bearer") && !value.isEmpty()) {
                return new Credential(value, null, null);
            }
            if (scheme.equalsIgnoreCase("Basic") && !value.isEmpty()) {
                BasicCredentials basic = BasicCredentials.parse(h);
                if (!basic.colon()) {
                    throw DomainException.unauthenticated("malformed HTTP Basic credentials");
                }
                return new Credential(null, basic.user(), basic.password());
            }
            throw DomainException.unauthenticated("unsupported Authorization scheme: use Bearer or Basic");
        }
    }
}
