package dev.lethe.app;

import dev.lethe.auth.GdprAuthenticator;
import dev.lethe.auth.InstanceKey;
import dev.lethe.auth.ServiceAccountStore;
import dev.lethe.auth.TokenStore;
import dev.lethe.auth.UserStore;
import dev.lethe.config.LetheConfig;
import dev.lethe.event.EventStore;
import dev.lethe.gdpr.GdprHandlers;
import dev.lethe.gdpr.GdprService;
import dev.lethe.gdpr.OpenApiDocument;
import dev.lethe.http.Routes;
import dev.lethe.identity.IdentityStore;
import dev.lethe.identity.PersonResolver;
import dev.lethe.profile.ProfileStore;
import dev.lethe.http.WebServer;
import dev.lethe.project.ProjectStore;
import dev.lethe.ratelimit.ProjectRateLimiter;
import dev.lethe.store.Database;
import dev.lethe.suppression.SuppressionStore;
import dev.lethe.task.Task;
import dev.lethe.task.TaskClaims;
import dev.lethe.task.TaskEngine;
import dev.lethe.task.TaskExecutor;
import dev.lethe.task.TaskKind;
import dev.lethe.task.TaskStore;
import dev.lethe.task.TaskWorkers;

import java.time.Clock;
import java.util.Map;
import java.util.function.Function;

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
    private final TaskStore tasks;
    private final TaskEngine engine;
    private final GdprHandlers gdpr;
    private WebServer web;
    private TaskWorkers workers;

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
        this.tasks = new TaskStore(db, clock);
        this.engine = new TaskEngine(new TaskClaims(db), resolver, executors(), clock, config.lease());
        this.gdpr = new GdprHandlers(
                new GdprAuthenticator(tokens, users, serviceAccounts, projects, config.region(), clock),
                new GdprService(tasks,
                        new ProjectRateLimiter("task creations", config.rateLimit(), clock),
                        new ProjectRateLimiter("reads and cancels", config.readRateLimit(), clock),
                        config.maxQueuedTasks(), downloadLinks()));
    }

    /** The executor of each task kind; a kind without one ends its tasks in FAILURE ("no executor for ..."). */
    private Map<TaskKind, TaskExecutor> executors() {
        return Map.of();
    }

    /** The link a finished retrieval hands out. */
    private Function<Task, String> downloadLinks() {
        return task -> baseUrl() + "/downloads/" + task.trackingId() + ".zip";
    }

    /** The public base URL of this instance: {@code --public-url}, else this host's port. */
    public String baseUrl() {
        String configured = config.publicUrl();
        if (configured != null && !configured.isBlank()) {
            return configured.endsWith("/") ? configured.substring(0, configured.length() - 1) : configured;
        }
        return "http://localhost:" + port();
    }

    /** Starts the HTTP server (and the workers); returns the bound port. */
    public int start() {
        web = new WebServer(config.maxBodyBytes(), new Routes(gdpr, new OpenApiDocument()));
        int bound = web.start(config.host(), config.port());
        if (config.workers() > 0) {
            workers = TaskWorkers.start(engine, config.workers(), config.pollInterval());
        }
        return bound;
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

    public TaskStore tasks() {
        return tasks;
    }

    /** The task engine of this instance; tests drive it with {@link TaskEngine#runOnce()}. */
    public TaskEngine engine() {
        return engine;
    }

    /** In-flight requests finish first, then the workers' current tasks, then the store closes. */
    @Override
    public void close() {
        if (web != null) {
            web.close();
        }
        if (workers != null) {
            workers.close();
        }
        db.close();
    }
}
