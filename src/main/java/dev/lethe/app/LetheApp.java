package dev.lethe.app;

import dev.lethe.auth.InstanceKey;
import dev.lethe.config.LetheConfig;
import dev.lethe.event.EventStore;
import dev.lethe.http.Routes;
import dev.lethe.identity.IdentityStore;
import dev.lethe.identity.PersonResolver;
import dev.lethe.ingest.EngageHandler;
import dev.lethe.ingest.EventIngester;
import dev.lethe.ingest.ImportAuth;
import dev.lethe.ingest.ImportHandler;
import dev.lethe.ingest.ProfileIngester;
import dev.lethe.ingest.ProjectTokens;
import dev.lethe.ingest.SuppressionFilter;
import dev.lethe.ingest.TrackHandler;
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
    private final ProjectTokens projectTokens;
    private final EventIngester eventIngester;
    private final ProfileIngester profileIngester;
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
        this.projectTokens = new ProjectTokens(projects, config.region());
        SuppressionFilter suppression = new SuppressionFilter(suppressions);
        this.eventIngester = new EventIngester(db, events, links, suppression, clock);
        this.profileIngester = new ProfileIngester(db, profiles, suppression, clock);
    }

    /** Starts the HTTP server (and the workers); returns the bound port. */
    public int start() {
        long maxBody = config.maxBodyBytes();
        web = new WebServer(maxBody, new Routes(
                new TrackHandler(maxBody, projectTokens, eventIngester, clock),
                new ImportHandler(maxBody, new ImportAuth(db, projects, projectTokens), eventIngester, clock),
                new EngageHandler(maxBody, projectTokens, profileIngester)));
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

    /** The ingestion path shared by the HTTP endpoints and {@code lethe load}. */
    public EventIngester eventIngester() {
        return eventIngester;
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
