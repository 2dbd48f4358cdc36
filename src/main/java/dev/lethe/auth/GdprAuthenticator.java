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
    private final boolean apiSecrets;

    /**
     * @param changes moved on by the stores when a credential or role changes in this process
     * @param cacheTtl how long a success is reused ({@link #CACHE_TTL}); zero turns reuse off
     * @param apiSecrets whether HTTP Basic with a project's api_secret (as user, empty password, or the
     *                   bare base64 of the secret) acts for that project with the owner's rights
     */
    public GdprAuthenticator(TokenStore tokens, UserStore users, ServiceAccountStore serviceAccounts,
                             ProjectStore projects, Region region, Clock clock, CredentialChanges changes,
                             Duration cacheTtl, boolean apiSecrets) {
        this.apiSecrets = apiSecrets;
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
        Optional<ServiceAccountStore.Account> account = credential.secret() == null ? Optional.empty()
                : serviceAccounts.authenticate(credential.username(), credential.secret());
        if (account.isPresent()) {
            ServiceAccountStore.Account a = account.get();
            return new Principal(a.username(), projectId -> serviceAccounts.role(a.id(), projectId), Long.MAX_VALUE, "service_account");
        }
        // why: some GDPR clients fall back to the project's api_secret, which Mixpanel's older APIs took; it acts
        // for its own project only, with the owner's rights, and says so in requesting_user.
        if (apiSecrets && (credential.secret() == null || credential.secret().isEmpty())) {
            Optional<Project> owned = projects.byApiSecret(credential.username());
            if (owned.isPresent()) {
                long ownId = owned.get().id();
                return new Principal("api_secret of project " + ownId,
                        projectId -> projectId == ownId ? Optional.of(Role.OWNER) : Optional.empty(), Long.MAX_VALUE, "api_secret");
            }
        }
        throw DomainException.unauthenticated(apiSecrets
                ? "unknown service account or wrong secret, and not a project's api_secret"
                : "unknown service account or wrong secret (this instance does not take api_secrets on the GDPR API)");
    }

    /** A bearer token, or a Basic username and secret (null secret: the bare form, no colon). */
    private record Credential(String bearer, String username, String secret) {

        /** A one-way name for the credential, to key the cache by: never the credential itself. */
        String hash() {
            // why: Basic splits at the first colon, so a username holds none and the pair is unambiguous
            return bearer != null ? "b" + Secrets.sha256Hex(bearer)
                    : secret == null ? "a" + Secrets.sha256Hex(username) : "s" + Secrets.sha256Hex(username + ':' + secret);
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
                // why: without a colon the whole value is an api_secret, the bare form some clients send
                return new Credential(null, basic.user(), basic.colon() ? basic.password() : null);
            }
            throw DomainException.unauthenticated("unsupported Authorization scheme: use Bearer or Basic");
        }
    }
}
