package dev.lethe.web.gdpr;

import dev.lethe.audit.Origin;
import dev.lethe.certificate.ErasureCertificates;
import dev.lethe.gdpr.CreateRequest;
import dev.lethe.gdpr.GdprService;
import dev.lethe.gdpr.ListQuery;
import dev.lethe.gdpr.SuppressionLifts;
import dev.lethe.auth.GdprAuthenticator;
import dev.lethe.auth.GdprCaller;
import dev.lethe.domain.DomainException;
import dev.lethe.json.Json;
import dev.lethe.store.StoreException;
import dev.lethe.task.Task;
import dev.lethe.task.TaskKind;
import dev.lethe.task.TaskStatus;
import dev.lethe.web.ingest.BodyReader;
import dev.lethe.retrieval.ArchivePasswords;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/** The GDPR API's HTTP handlers: authenticate, parse, call {@link GdprService}, render. */
public final class GdprHandlers {

    private static final Logger log = LoggerFactory.getLogger(GdprHandlers.class);

    private final GdprAuthenticator auth;
    private final GdprService service;
    private final ArchivePasswords passwords;
    private final SuppressionLifts lifts;
    private final ErasureCertificates certificates;

    public GdprHandlers(GdprAuthenticator auth, GdprService service, ArchivePasswords passwords, SuppressionLifts lifts,
                        ErasureCertificates certificates) {
        this.auth = auth;
        this.certificates = certificates;
        this.lifts = lifts;
        this.service = service;
        this.passwords = passwords;
    }

    /**
     * A create's body, which must come uncompressed: read as it is, a gzip body would be refused as JSON that is not
     * UTF-8, which says nothing of what to change. Still the contract's 400 for malformed JSON.
     */
    private static byte[] jsonBody(Context ctx) {
        String encoding = BodyReader.contentCoding(ctx);
        if (encoding != null) {
            throw DomainException.invalidInput("malformed JSON body: the GDPR API takes plain JSON, not Content-Encoding "
                    + encoding);
        }
        return ctx.bodyAsBytes();
    }

    public Handler create(TaskKind kind) {
        return ctx -> guarded(false, () -> {
            GdprCaller caller = caller(ctx);
            Task task = service.create(caller, kind, CreateRequest.parse(jsonBody(ctx), kind), Origin.api(ctx.ip()));
            ctx.status(201).json(TaskViews.Ok.of(TaskViews.Created.of(task)));
        });
    }

    public Handler check(TaskKind kind) {
        return ctx -> guarded(true, () -> {
            Task task = service.check(caller(ctx), kind, ctx.pathParam("tracking_id"));
            boolean verbose = verbose(ctx);
            // why: shown to the first verbose check after SUCCESS only; Lethe keeps no copy after that.
            String password = kind == TaskKind.RETRIEVAL && verbose && task.status() == TaskStatus.SUCCESS
                    ? passwords.takeOnce(task.id()).orElse(null) : null;
            ctx.json(TaskViews.Ok.of(kind == TaskKind.DELETION
                    ? TaskViews.Deletion.of(task, verbose)
                    : TaskViews.Retrieval.of(task, service.link(task), verbose, password)));
        });
    }

    /**
     * {@code GET .../data-deletions/v3.0/{tracking_id}/certificate}: the signed erasure certificate of a
     * deletion that succeeded, found and scoped exactly as the check finds it (404 for another project's).
     */
    public Handler certificate() {
        return ctx -> guarded(false, () -> {
            Task task = service.check(caller(ctx), TaskKind.DELETION, ctx.pathParam("tracking_id"));
            CertificateResponse.send(ctx, task.trackingId(), certificates.issue(task));
        });
    }

    public Handler cancel(TaskKind kind) {
        return ctx -> guarded(false, () -> {
            service.cancel(caller(ctx), kind, ctx.pathParam("tracking_id"), Origin.api(ctx.ip()));
            ctx.status(204);
        });
    }

    /** {@code DELETE .../data-deletions/v3.0/{tracking_id}/suppression}: an owner lifts the deletion's suppression. */
    public Handler liftSuppression() {
        return ctx -> guarded(false, () -> {
            SuppressionLifts.Lifted lifted = lifts.lift(caller(ctx), ctx.pathParam("tracking_id"), Origin.api(ctx.ip()));
            ctx.json(TaskViews.Ok.of(new TaskViews.SuppressionLifted(lifted.task().trackingId(), lifted.idsLifted(),
                    !lifted.firstLift())));
        });
    }

    public Handler list(TaskKind kind) {
        return ctx -> guarded(false, () -> {
            GdprCaller caller = caller(ctx);
            ListQuery query = ListQuery.parse(ctx.queryParam("status"), ctx.queryParam("limit"), ctx.queryParam("cursor"));
            GdprService.Listing listing = service.list(caller, kind, query);
            boolean verbose = verbose(ctx);
            List<?> results = listing.tasks().stream()
                    .map(t -> kind == TaskKind.DELETION
                            ? TaskViews.Deletion.of(t, verbose)
                            : TaskViews.RetrievalListed.of(t, service.link(t), verbose))
                    .toList();
            ctx.json(new TaskViews.Page<>("ok", results, listing.nextCursor()));
        });
    }

    /**
     * Mixpanel's GDPR API v2.0, kept for older clients and mapped onto the same tasks: a retrieval names one
     * {@code distinct_id} (a list is taken too), the answer is {@code {"results": {"task_id": ...}}} with no
     * {@code status} envelope, and the project token may also come as {@code token} in the body.
     */
    public Handler createV2(TaskKind kind) {
        return ctx -> guarded(false, () -> {
            V2Body body = V2Body.parse(jsonBody(ctx));
            GdprCaller caller = auth.authenticate(new GdprAuthenticator.Request(ctx.header("Authorization"),
                    ctx.queryParam("token") != null ? ctx.queryParam("token") : body.token()));
            Task task = service.create(caller, kind, CreateRequest.parse(body.asV3(), kind), Origin.api(ctx.ip()));
            ctx.status(201).json(java.util.Map.of("results", java.util.Map.of("task_id", task.trackingId())));
        });
    }

    /** v2.0's check: {@code {"results": {"status": ...}}}, plus {@code result} (the download link) for a retrieval. */
    public Handler checkV2(TaskKind kind) {
        return ctx -> guarded(true, () -> {
            Task task = service.check(caller(ctx), kind, ctx.pathParam("tracking_id"));
            var results = Json.object().put("status", task.status().name());
            if (kind == TaskKind.RETRIEVAL) {
                String link = service.link(task);
                if (link == null || link.isEmpty()) {
                    results.putNull("result");
                } else {
                    results.put("result", link);
                }
            }
            ctx.json(Json.object().set("results", results));
        });
    }

    private GdprCaller caller(Context ctx) {
        return auth.authenticate(new GdprAuthenticator.Request(ctx.header("Authorization"), ctx.queryParam("token")));
    }

    private static boolean verbose(Context ctx) {
        String v = ctx.queryParam("verbose");
        return "1".equals(v) || "true".equalsIgnoreCase(v);
    }

    /**
     * Runs a handler body, answering 503 with {@code Retry-After} when the store cannot be reached
     * or stays locked past the busy timeout; a check then
     * reports its task's status as {@code UNKNOWN}, as the contract's states say.
     */
    private static void guarded(boolean check, Runnable body) {
        try {
            body.run();
        } catch (StoreException e) {
            log.warn("GDPR API: the task store is unavailable: {}", e.getMessage());
            var extra = Json.object();
            if (check) {
                extra.putObject("results").put("status", "UNKNOWN");
            }
            throw DomainException.unavailable("the task store is unavailable; retry later", extra);
        }
    }
}
