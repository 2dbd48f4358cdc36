package dev.lethe.app;

import dev.lethe.auth.InstanceKey;
import dev.lethe.auth.ServiceAccountStore;
import dev.lethe.auth.TokenStore;
import dev.lethe.auth.UserStore;
import dev.lethe.config.LetheConfig;
import dev.lethe.event.EventStore;
import dev.lethe.http.Routes;
import dev.lethe.identity.IdentityStore;
import dev.lethe.identity.PersonResolver;
import dev.lethe.profile.ProfileStore;
import dev.lethe.http.WebServer;
import dev.lethe.project.ProjectStore;
import dev.lethe.store.Database;
import dev.lethe.suppression.SuppressionStore;

import java.time.Clock;

/**
 * One Lethe instance, wired: the store, the services on it, the HTTP server and the task
 * workers. {@code lethe serve} runs one; tests start one on port 0 with an injected clock.
 */
public final class LetheApp implements AutoCloseable {

    private final LetheConfig config;
    private final Clock clock;
    private final Database db;
    private final InstanceKey key;
    private final ProjectStore projects;
    private final EventStore events;
    private final ProfileStore profiles;
    private final IdentityStore links;
    private final PersonResolver resolver;
    private final SuppressionStore suppressions;
    private final UserStore users;
    private final TokenStore tokens;
    private final ServiceAccountStore serviceAccounts;
    private WebServer web;

    public LetheApp(LetheConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.db = Database.open(config.store());
        this.key = InstanceKey.loadOrCreate(config.store().dataDir());
        this.projects = new ProjectStore(db, key, clock);
        this.events = new EventStore(db);
        this.profiles = new ProfileStore(db);
        this.links = new IdentityStore(db);
        this.resolver = new PersonResolver(db, links);
        this.suppressions = new SuppressionStore(db, key);
        this.users = new UserStore(db, clock);
        this.tokens = new TokenStore(db, clock);
        this.serviceAccounts = new ServiceAccountStore(db, clock);
    }

    /** Starts the HTTP server (and the workers); returns the bound port. */
    public int start() {
        web = new WebServer(config.maxBodyBytes(), new Routes());
        return web.start(config.host(), config.port());
    }

    public int port() {
        return web.port();
    }

    public LetheConfig config() {
        return config;
    }

    public Clock clock() {
        return clock;
    }

    public Database db() {
        return db;
    }

    public InstanceKey key() {
        return key;
    }

    public ProjectStore projects() {
        return projects;
    }

    public EventStore events() {
        return events;
    }

    public ProfileStore profiles() {
        return profiles;
    }

    public IdentityStore links() {
        return links;
    }

    public PersonResolver resolver() {
        return resolver;
    }

    public SuppressionStore suppressions() {
        return suppressions;
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

    /** In-flight requests finish first, then the store closes. */
    @Override
    public void close() {
        if (web != null) {
            web.close();
        }
        db.close();
    }
}
