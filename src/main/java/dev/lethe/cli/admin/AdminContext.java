package dev.lethe.cli.admin;

import dev.lethe.app.LetheApp;
import dev.lethe.auth.ConsoleAuth;
import dev.lethe.auth.CredentialChanges;
import dev.lethe.auth.PasswordStore;
import dev.lethe.auth.Passwords;
import dev.lethe.auth.SessionStore;
import dev.lethe.auth.SignInThrottle;
import dev.lethe.crypto.InstanceKey;
import dev.lethe.auth.ServiceAccountStore;
import dev.lethe.auth.TokenStore;
import dev.lethe.auth.UserStore;
import dev.lethe.project.Project;
import dev.lethe.project.ProjectStore;
import dev.lethe.store.Database;
import dev.lethe.store.StoreConfig;

import java.time.Clock;

/**
 * The stores an admin command works on, opened on the same store as {@code lethe serve}
 * (schema migrated, instance key loaded) without starting the HTTP server or the workers.
 */
public final class AdminContext implements AutoCloseable {

    private final Database db;
    private final InstanceKey key;
    private final Clock clock;
    private final ProjectStore projects;
    private final UserStore users;
    private final TokenStore tokens;
    private final ServiceAccountStore serviceAccounts;
    private final ConsoleAuth consoleAuth;

    private AdminContext(Database db, InstanceKey key, Clock clock) {
        this.db = db;
        this.key = key;
        this.clock = clock;
        this.projects = new ProjectStore(db, key, clock);
        // why: run as its own process, the servers' caches see these changes within
        // GdprAuthenticator.CACHE_TTL (docs/gdpr-api.md); run inside a server's JVM, at once
        CredentialChanges changes = CredentialChanges.inThisProcess();
        this.users = new UserStore(db, clock, changes);
        this.tokens = new TokenStore(db, clock, changes);
        this.serviceAccounts = new ServiceAccountStore(db, clock, changes);
        this.consoleAuth = new ConsoleAuth(db, users, new PasswordStore(db, clock, new Passwords(Passwords.Cost.OWASP_MINIMUM)),
                new SessionStore(db, clock, LetheApp.CONSOLE_IDLE, LetheApp.CONSOLE_SESSION_MAX_AGE),
                SignInThrottle.standard(clock));
    }

    public static AdminContext open(StoreConfig store, Clock clock) {
        // why: the key is what seals api_secrets; it must be the one serve uses, so load it
        // from the same data directory before writing any project.
        InstanceKey key = InstanceKey.loadOrCreate(store.dataDir());
        return new AdminContext(Database.open(store), key, clock);
    }

    public Database db() {
        return db;
    }

    /** The instance key of the store's data directory: it keys the suppression hashes, among others. */
    public InstanceKey key() {
        return key;
    }

    public Clock clock() {
        return clock;
    }

    public ProjectStore projects() {
        return projects;
    }

    public UserStore users() {
        return users;
    }

    public TokenStore tokens() {
        return tokens;
    }

    public ServiceAccountStore serviceAccounts() {
        return serviceAccounts;
    }

    /** Console passwords and sessions. */
    public ConsoleAuth consoleAuth() {
        return consoleAuth;
    }

    public UserStore.User user(String email) {
        return users.byEmail(email).orElseThrow(() -> new AdminException("no user with email " + email.trim()));
    }

    public Project project(long id) {
        return projects.byId(id).orElseThrow(() -> new AdminException("no project with id " + id));
    }

    @Override
    public void close() {
        db.close();
    }
}
