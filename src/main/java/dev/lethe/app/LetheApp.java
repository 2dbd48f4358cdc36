package dev.lethe.app;

import dev.lethe.audit.AuditLog;
import dev.lethe.auth.ConsoleAuth;
import dev.lethe.auth.CredentialChanges;
import dev.lethe.auth.PasswordStore;
import dev.lethe.auth.Passwords;
import dev.lethe.auth.SessionStore;
import dev.lethe.auth.SignInThrottle;
import dev.lethe.auth.GdprAuthenticator;
import dev.lethe.auth.ReadAuthenticator;
import dev.lethe.profile.ProfileProperties;
import dev.lethe.query.EventExport;
import dev.lethe.query.ProfileSearch;
import dev.lethe.web.query.ReadApi;
import dev.lethe.crypto.InstanceKey;
import dev.lethe.crypto.SigningKeys;
import dev.lethe.certificate.ErasureCertificates;
import dev.lethe.web.JwksHandler;
import dev.lethe.auth.ServiceAccountStore;
import dev.lethe.auth.TokenStore;
import dev.lethe.auth.UserStore;
import dev.lethe.config.LetheConfig;
import dev.lethe.deletion.DeletionExecutor;
import dev.lethe.deletion.ErasureSteps;
import dev.lethe.deletion.PersonEraser;
import dev.lethe.event.EventSchemaStore;
import dev.lethe.event.EventStore;
import dev.lethe.web.gdpr.GdprHandlers;
import dev.lethe.gdpr.GdprService;
import dev.lethe.gdpr.QueueCap;
import dev.lethe.gdpr.SuppressionLifts;
import dev.lethe.web.gdpr.OpenApiDocument;
import dev.lethe.web.Routes;
import dev.lethe.identity.IdentityStore;
import dev.lethe.identity.PersonResolver;
import dev.lethe.metrics.LetheMetrics;
import dev.lethe.ingest.IdentityLinker;
import dev.lethe.lookup.PersonLookup;
import dev.lethe.web.ingest.ProfileUpdatesHandler;
import dev.lethe.ingest.GroupIngester;
import dev.lethe.group.GroupProfileStore;
import dev.lethe.ingest.EventIngester;
import dev.lethe.web.ingest.ImportAuth;
import dev.lethe.web.ingest.ImportHandler;
import dev.lethe.ingest.ProfileIngester;
import dev.lethe.ingest.ProjectTokens;
import dev.lethe.ingest.SuppressionFilter;
import dev.lethe.web.ingest.TrackHandler;
import dev.lethe.profile.ProfileStore;
import dev.lethe.web.MetricsHandler;
import dev.lethe.web.RequestContext;
import dev.lethe.web.WebServer;
import dev.lethe.web.console.ConsoleRoutes;
import dev.lethe.project.ProjectStore;
import dev.lethe.ratelimit.ProjectConcurrency;
import dev.lethe.ratelimit.ProjectRateLimiter;
import dev.lethe.ratelimit.ReadQuota;
import dev.lethe.retrieval.ArchiveFiles;
import dev.lethe.retrieval.ArchiveProtection;
import dev.lethe.retrieval.ArchivePurger;
import dev.lethe.retrieval.ArchivePasswords;
import dev.lethe.retrieval.ArchiveStore;
import dev.lethe.web.DownloadHandler;
import dev.lethe.retrieval.DownloadLinks;
import dev.lethe.retrieval.ExportReader;
import dev.lethe.retrieval.RetrievalExecutor;
import dev.lethe.store.Compactor;
import dev.lethe.store.Database;
import dev.lethe.store.StoreActivity;
import dev.lethe.suppression.SuppressionStore;
import dev.lethe.task.TaskClaims;
import dev.lethe.task.TaskIdHashes;
import dev.lethe.task.TaskIdRetention;
import dev.lethe.task.TaskEngine;
import dev.lethe.task.TaskExecutor;
import dev.lethe.task.TaskKind;
import dev.lethe.task.TaskQueueGauges;
import dev.lethe.task.TaskStore;
import dev.lethe.task.TaskWorkers;
import dev.lethe.webhook.DeliveryLog;
import dev.lethe.webhook.WebhookOutbox;
import dev.lethe.webhook.WebhookSender;
import dev.lethe.webhook.WebhookSettings;
import dev.lethe.webhook.WebhookStore;
import dev.lethe.webhook.WebhookWorkers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * One Lethe instance, wired: the store, the services on it, the HTTP server and the task
 * workers. {@code lethe serve} runs one; tests start one on port 0 with an injected clock.
 */
public final class LetheApp implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LetheApp.class);

    private final LetheConfig config;
    private final Clock clock;
    private final Database db;
    private final InstanceKey key;
    private final ProjectStore projects;
    private final EventStore events;
    private final ProfileStore profiles;
    private final GroupProfileStore groups;
    private final IdentityStore links;
    private final PersonResolver resolver;
    private final IdentityLinker linker;
    private final SuppressionStore suppressions;
    private final UserStore users;
    private final TokenStore tokens;
    private final ServiceAccountStore serviceAccounts;
    private final StoreActivity activity;
    private final Compactor compactor;
    private final ArchiveStore archives;
    private final ArchiveFiles archiveFiles;
    private final ArchivePurger archivePurger;
    private final TaskIdHashes taskIdHashes;
    private final TaskIdRetention idRetention;
    private final DeletionExecutor deletionExecutor;
    private final ErasureSteps erasureSteps;
    private final SigningKeys signingKeys;
    private final ErasureCertificates certificates;
    private final RetrievalExecutor retrievalExecutor;
    private final DownloadLinks downloadLinks;
    private final TaskStore tasks;
    private final TaskEngine engine;
    private final GdprHandlers gdpr;
    private final ProjectTokens projectTokens;
    private final EventIngester eventIngester;
    /** Event and property names, written by ingestion and read by the schema endpoints: one instance for both. */
    private final EventSchemaStore eventSchema;
    private final ProfileIngester profileIngester;
    private final GroupIngester groupIngester;
    private final ConsoleAuth consoleAuth;
    private final AuditLog audit;
    private final GdprService gdprService;
    private final LetheMetrics metrics;
    private final WebhookStore webhooks;
    private final WebhookSender webhookSender;
    private WebServer web;
    private volatile TaskWorkers workers;
    private WebhookWorkers webhookWorkers;
    private ScheduledExecutorService purgeSchedule;

    public LetheApp(LetheConfig config, Clock clock) {
        this(config, clock, UnaryOperator.identity());
    }

    /**
     * @param executors wraps each task executor before the engine gets it; lets a test observe
     *                  which instance ran which task. Production passes the identity.
     */
    public LetheApp(LetheConfig config, Clock clock, UnaryOperator<TaskExecutor> executors) {
        this.config = config;
        this.clock = clock;
        this.db = Database.open(config.store());
        this.metrics = new LetheMetrics();
        db.instrument(metrics);
        TaskQueueGauges.register(db, clock, metrics);
        this.key = InstanceKey.loadOrCreate(config.store().dataDir());
        this.signingKeys = SigningKeys.loadOrCreate(config.store().dataDir(), clock);
        this.projects = new ProjectStore(db, key, clock);
        this.events = new EventStore(db);
        this.profiles = new ProfileStore(db);
        this.groups = new GroupProfileStore(db);
        this.links = new IdentityStore(db);
        this.resolver = new PersonResolver(db, links);
        this.suppressions = new SuppressionStore(db, key);
        CredentialChanges credentialChanges = CredentialChanges.inThisProcess();
        this.users = new UserStore(db, clock, credentialChanges);
        this.tokens = new TokenStore(db, clock, credentialChanges);
        this.serviceAccounts = new ServiceAccountStore(db, clock, credentialChanges);
        this.activity = new StoreActivity(clock);
        this.compactor = new Compactor(db, config.compactionSchedule(), activity, clock, metrics);
        this.taskIdHashes = new TaskIdHashes(key);
        this.archives = new ArchiveStore(taskIdHashes);
        this.archiveFiles = new ArchiveFiles(config.store().dataDir());
        this.archivePurger = new ArchivePurger(db, archives, archiveFiles, clock);
        this.erasureSteps = new ErasureSteps(db);
        this.deletionExecutor = new DeletionExecutor(db, resolver,
                new PersonEraser(db, events, profiles, links, archivePurger), suppressions, config.deleteBatchSize(), clock,
                events, projects, erasureSteps, config.lease());
        ArchivePasswords archivePasswords = new ArchivePasswords(db, key);
        this.retrievalExecutor = new RetrievalExecutor(db, resolver, new ExportReader(db, events, profiles, resolver), projects,
                archives, archiveFiles, new ArchiveProtection(config.archiveEncryption(), config.archivePassword()), archivePasswords, config.archiveTtl(), clock);
        this.downloadLinks = new DownloadLinks(key, clock, this::baseUrl);
        // why: every move of a task queues its webhook deliveries in the move's own transaction
        WebhookOutbox outbox = new WebhookOutbox();
        this.webhooks = new WebhookStore(db, key, clock);
        this.webhookSender = new WebhookSender(db, webhooks, WebhookSettings.DEFAULT, clock, metrics);
        this.tasks = new TaskStore(db, clock, taskIdHashes, outbox);
        this.idRetention = new TaskIdRetention(db, taskIdHashes, config.idRetention(), compactor, clock);
        this.engine = new TaskEngine(new TaskClaims(db, taskIdHashes, outbox),
                Map.of(TaskKind.DELETION, executors.apply(deletionExecutor), TaskKind.RETRIEVAL, executors.apply(retrievalExecutor)),
                clock, config.lease(), activity, metrics);
        this.audit = new AuditLog(db, key, clock);
        this.certificates = new ErasureCertificates(signingKeys, key, taskIdHashes, erasureSteps, config.lease(), clock);
        this.gdprService = new GdprService(tasks,
                new ProjectRateLimiter("task creations", config.rateLimit(), config.rateLimitBurst(), clock),
                new ProjectRateLimiter("reads and cancels", config.readRateLimit(), clock),
                new QueueCap(config.maxQueuedTasks(), tasks::countUnfinished, clock), downloadLinks, this::taskCreated, audit);
        this.gdpr = new GdprHandlers(
                new GdprAuthenticator(tokens, users, serviceAccounts, projects, config.region(), clock,
                        credentialChanges, GdprAuthenticator.CACHE_TTL, config.gdprApiSecrets()),
                gdprService, archivePasswords, new SuppressionLifts(db, tasks, suppressions, audit, clock), certificates);
        this.projectTokens = new ProjectTokens(projects, config.region());
        SuppressionFilter suppression = new SuppressionFilter(suppressions);
        this.linker = new IdentityLinker(links, resolver, events, profiles, config.maxPersonIds());
        this.eventSchema = new EventSchemaStore(db);
        this.eventIngester = new EventIngester(db, events, eventSchema, linker, suppression, activity, clock, metrics);
        this.profileIngester = new ProfileIngester(db, profiles, links, suppression, activity, clock, metrics);
        this.groupIngester = new GroupIngester(db, groups, activity, clock);
        this.consoleAuth = new ConsoleAuth(db, users, new PasswordStore(db, clock, new Passwords(config.passwordCost())),
                new SessionStore(db, clock, CONSOLE_IDLE, CONSOLE_SESSION_MAX_AGE), SignInThrottle.standard(clock));
    }

    /** Threads sending webhooks: a receiver that answers slowly holds up one of them, never a task. */
    static final int WEBHOOK_SENDERS = 2;

    /** A console session ends after this long without a request... */
    public static final Duration CONSOLE_IDLE = Duration.ofMinutes(30);
    /** ...or this long after sign-in, whichever comes first. */
    public static final Duration CONSOLE_SESSION_MAX_AGE = Duration.ofHours(12);

    /** The public base URL of this instance: {@code --public-url}, else this host's port. */
    public String baseUrl() {
        String configured = config.publicUrl();
        if (configured != null && !configured.isBlank()) {
            return configured.endsWith("/") ? configured.substring(0, configured.length() - 1) : configured;
        }
        return (config.tls() == null ? "http" : "https") + "://localhost:" + port();
    }

    /** Starts the HTTP server (and the workers); returns the bound port. */
    private ReadApi.Limits readLimits(String what, double perSecond, ReadQuota quota) {
        return new ReadApi.Limits(ProjectRateLimiter.withHourlyCap(what, perSecond, quota.perHour(), clock),
                new ProjectConcurrency(what, quota.concurrent()));
    }

    public int start() {
        long maxBody = config.maxBodyBytes();
        web = new WebServer(maxBody, config.http(), new Routes(
                new Routes.Ingestion(
                        new TrackHandler(maxBody, projectTokens, eventIngester, clock),
                        new ImportHandler(maxBody, new ImportAuth(serviceAccounts, projects, projectTokens), eventIngester, clock),
                        ProfileUpdatesHandler.engage(maxBody, projectTokens, profileIngester),
                        ProfileUpdatesHandler.groups(maxBody, projectTokens, groupIngester)),
                gdpr, new OpenApiDocument(), new DownloadHandler(db, archives, archiveFiles, downloadLinks, clock, audit),
                ReadApi.create(new ReadAuthenticator(serviceAccounts, projects, config.region()),
                        readLimits("raw exports", config.exportRateLimit(), config.exportQuota()),
                        readLimits("read queries", config.queryRateLimit(), config.queryQuota()),
                        new EventExport(events, suppressions), new ProfileSearch(profiles, suppressions, key),
                        eventSchema, new ProfileProperties(db), maxBody),
                new ConsoleRoutes(new ConsoleRoutes.Services(consoleAuth, projects, config.region(), key,
                        config::publicUrl, CONSOLE_SESSION_MAX_AGE, gdprService,
                        new PersonLookup(db, resolver, events, profiles, tasks), audit, certificates)),
                new MetricsHandler(metrics, config.metricsToken()), new JwksHandler(signingKeys)),
                config.tls() == null ? null : new WebServer.Tls(config.tls().certificate(), config.tls().privateKey()),
                new RequestContext(metrics));
        int bound = web.start(config.host(), config.port());
        purgeSchedule = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(() -> Database.runAsBackground(r), "lethe-archive-purger");
            t.setDaemon(true);
            return t;
        });
        purgeSchedule.execute(this::removeLegacyPartials);
        purgeSchedule.scheduleWithFixedDelay(archivePurger::purgeExpiredLogged, 1, 1, TimeUnit.MINUTES);
        // why: the resolved ids are hashed as a task finishes; this pass hashes the requested ids
        // once the retention is over, and catches tasks that finished while no instance ran it.
        purgeSchedule.scheduleWithFixedDelay(idRetention::applyLogged, 1, 1, TimeUnit.MINUTES);
        purgeSchedule.scheduleWithFixedDelay(this::pruneWebhookLog, 1, 60, TimeUnit.MINUTES);
        compactor.start();
        if (config.workers() > 0) {
            workers = TaskWorkers.start(engine, config.workers(), config.pollInterval());
            // why: an instance that runs no workers (an API-only one, or a test driving runOnce) sends nothing either
            webhookWorkers = WebhookWorkers.start(webhookSender, WEBHOOK_SENDERS, config.pollInterval());
        }
        return bound;
    }

    /** On the purge thread, once for the data directory: the partial archives an earlier version left beside the rest. */
    private void removeLegacyPartials() {
        try {
            int n = archiveFiles.removeLegacyPartials();
            if (n > 0) {
                log.info("removed {} partial archive(s) an earlier version left", n);
            }
        } catch (RuntimeException e) {
            log.warn("removing the partial archives of an earlier version failed; the next start retries", e);
        }
    }

    /** Settled webhook deliveries are kept this long in the delivery log. */
    public static final Duration WEBHOOK_LOG_RETENTION = Duration.ofDays(30);

    private void pruneWebhookLog() {
        new DeliveryLog(db).pruneLogged(clock.millis() - WEBHOOK_LOG_RETENTION.toMillis());
    }

    private void taskCreated() {
        activity.touch();
        wakeWorkers();
    }

    private void wakeWorkers() {
        TaskWorkers w = workers;
        if (w != null) {
            w.wake();
        }
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

    /** Group profiles ({@code /groups}); an engage query with {@code data_group_id} reads them through {@link GroupProfileStore#page}. */
    public GroupProfileStore groups() {
        return groups;
    }

    public IdentityStore links() {
        return links;
    }

    public IdentityLinker linker() {
        return linker;
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

    /** Console sign-in: passwords, sessions and the throttle on failed sign-ins. */
    public ConsoleAuth consoleAuth() {
        return consoleAuth;
    }

    /** Every GDPR request created, cancelled or downloaded. */
    public AuditLog audit() {
        return audit;
    }

    public TaskStore tasks() {
        return tasks;
    }

    /** The task engine of this instance; tests drive it with {@link TaskEngine#runOnce()}. */
    public TaskEngine engine() {
        return engine;
    }

    /** Executes DELETION tasks; for the task engine. */
    public DeletionExecutor deletionExecutor() {
        return deletionExecutor;
    }

    /** Executes RETRIEVAL tasks; for the task engine. */
    public RetrievalExecutor retrievalExecutor() {
        return retrievalExecutor;
    }

    /** The signed download link of a retrieval task, or "" while it has no live archive. */
    public DownloadLinks downloadLinks() {
        return downloadLinks;
    }

    /** When this instance last wrote to the store; the compactor waits for it to be quiet. */
    public StoreActivity activity() {
        return activity;
    }

    /** Rebuilds the embedded store after deletions; tests call {@link Compactor#compactNow()}. */
    public Compactor compactor() {
        return compactor;
    }

    /** Hashes finished tasks' ids past the retention; the server runs it every minute, tests call {@link TaskIdRetention#applyOnce()}. */
    public TaskIdRetention idRetention() {
        return idRetention;
    }

    /** The Ed25519 keys that sign erasure certificates ({@code lethe admin keys rotate} adds one). */
    public SigningKeys signingKeys() {
        return signingKeys;
    }

    /** Signs the erasure certificates of deletions that succeeded. */
    public ErasureCertificates certificates() {
        return certificates;
    }

    public TaskIdHashes taskIdHashes() {
        return taskIdHashes;
    }

    public ArchivePurger archivePurger() {
        return archivePurger;
    }

    /** The project's webhooks ({@code lethe admin webhook}). */
    public WebhookStore webhooks() {
        return webhooks;
    }

    /** Sends due webhook deliveries; the server polls it, tests call {@link WebhookSender#runOnce()}. */
    public WebhookSender webhookSender() {
        return webhookSender;
    }

    /** This instance's metrics, served at {@code /metrics}. */
    public LetheMetrics metrics() {
        return metrics;
    }

    /** The ingestion path shared by the HTTP endpoints and {@code lethe load}. */
    public EventIngester eventIngester() {
        return eventIngester;
    }

    /** The profile path shared by {@code /engage} and {@code lethe load}. */
    public ProfileIngester profileIngester() {
        return profileIngester;
    }

    /** The group profile path shared by {@code /groups} and {@code lethe load --group-key}. */
    public GroupIngester groupIngester() {
        return groupIngester;
    }

    /** In-flight requests finish first, then the workers' current tasks, then the store closes. */
    @Override
    public void close() {
        if (purgeSchedule != null) {
            purgeSchedule.shutdown();
            try {
                // why: a purge in progress must finish before the store under it closes.
                purgeSchedule.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (web != null) {
            web.close();
        }
        if (workers != null) {
            workers.close();
        }
        if (webhookWorkers != null) {
            webhookWorkers.close();
        }
        compactor.close();
        db.close();
    }
}
