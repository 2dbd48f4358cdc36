package dev.lethe.web.console;

import dev.lethe.audit.Origin;
import dev.lethe.certificate.ErasureCertificates;
import dev.lethe.domain.DomainException;
import dev.lethe.task.TaskStatus;
import dev.lethe.web.gdpr.CertificateResponse;
import dev.lethe.gdpr.GdprService;
import dev.lethe.task.Task;
import dev.lethe.task.TaskIdHashes;
import dev.lethe.task.TaskKind;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.util.List;
import java.util.Locale;

/**
 * One request: its timeline, ids, counts and error; a cancel button while it can be cancelled
 * (the API's atomic cancel), a download button while its archive lives. {@code request.js}
 * refreshes the page's content while the request runs.
 */
final class RequestHandlers {

    private final ConsolePages pages;
    private final GdprService gdpr;
    private final ErasureCertificates certificates;

    RequestHandlers(ConsolePages pages, GdprService gdpr, ErasureCertificates certificates) {
        this.pages = pages;
        this.gdpr = gdpr;
        this.certificates = certificates;
    }

    void page(Context ctx) {
        ConsolePages.Access access = pages.access(ctx);
        TaskKind kind = RequestsHandlers.kind(ctx.pathParam("kind"));
        Task t = gdpr.check(access.caller(), kind, ctx.pathParam("tracking"));
        String self = "/console/p/" + access.project().id() + "/requests/" + kind.name().toLowerCase(Locale.ROOT) + "/" + t.trackingId();
        StringBuilder body = new StringBuilder();
        body.append("<div id=\"request\" data-active=\"").append(t.status().isActive()).append("\">");
        body.append("<p>Status: <span class=\"status ").append(t.status().name()).append("\" id=\"status\">")
                .append(t.status().name()).append("</span></p>");
        body.append("<div class=\"actions\">");
        if (t.status().isCancellable()) {
            body.append("<form method=\"post\" action=\"").append(self).append("/cancel\">")
                    .append(Layout.csrfField(access.operator().csrf()))
                    .append("<button type=\"submit\" class=\"danger\" id=\"cancel\">Cancel this request</button></form>");
        }
        if (kind == TaskKind.RETRIEVAL && !gdpr.link(t).isEmpty()) {
            body.append("<a class=\"button\" id=\"download\" href=\"").append(self).append("/download\">Download the archive</a>");
        }
        if (kind == TaskKind.DELETION && t.status() == TaskStatus.SUCCESS) {
            body.append("<a class=\"button\" id=\"certificate\" href=\"").append(self)
                    .append("/certificate\">Download the erasure certificate</a>");
        }
        body.append("</div>");
        body.append("<h2>Timeline</h2><ol class=\"timeline\">")
                .append(step("Requested", t.dateRequested()))
                .append(step("Started", t.startedAt()))
                .append(step(t.status().isTerminal() ? "Finished (" + t.status().name() + ")" : "Finished", t.finishedAt()))
                .append("</ol>");
        body.append("<h2>Details</h2><dl class=\"facts\">")
                .append(fact("Kind", kind.name().toLowerCase(Locale.ROOT)))
                .append(fact("Tracking id", t.trackingId()))
                .append(fact("Asked by", t.requestingUser()))
                .append(fact("Compliance", t.complianceType() + (t.disclosureType() != null ? " / " + t.disclosureType() : "")))
                .append(kind == TaskKind.DELETION ? fact("Block future events", t.suppress() ? "yes" : "no") : "")
                .append(kind == TaskKind.DELETION ? fact("Mode", t.mode().wireName()) : "")
                .append(fact("Took", Html.duration(t.dateRequested(), t.finishedAt())))
                .append(fact("Counts", TaskRowView.counts(t.counts())))
                .append(t.error() != null ? "<dt>Error</dt><dd class=\"notice error\" id=\"error\">" + Html.e(t.error()) + "</dd>" : "")
                .append("</dl>");
        body.append(ids("Requested ids", t.distinctIds()));
        body.append(ids("Resolved ids (the person's linked ids)", t.personIds()));
        body.append("</div>");
        ctx.html(Layout.page("Request " + t.trackingId(), access.frame("requests"), body.toString(), "request.js"));
    }

    void cancel(Context ctx) {
        ConsolePages.Access access = pages.accessForChange(ctx);
        TaskKind kind = RequestsHandlers.kind(ctx.pathParam("kind"));
        String tracking = ctx.pathParam("tracking");
        gdpr.cancel(access.caller(), kind, tracking, Origin.console(ctx.ip()));
        ctx.redirect("/console/p/" + access.project().id() + "/requests/" + kind.name().toLowerCase(Locale.ROOT) + "/" + tracking,
                HttpStatus.SEE_OTHER);
    }

    /** Hands the browser the signed link (DownloadLinks), after recording who asked. */
    void download(Context ctx) {
        ConsolePages.Access access = pages.access(ctx);
        RequestsHandlers.kind(ctx.pathParam("kind"));
        ctx.redirect(gdpr.download(access.caller(), ctx.pathParam("tracking"), Origin.console(ctx.ip())), HttpStatus.SEE_OTHER);
    }

    /** The signed erasure certificate of a deletion that succeeded, as the API hands it out. */
    void certificate(Context ctx) {
        ConsolePages.Access access = pages.access(ctx);
        if (RequestsHandlers.kind(ctx.pathParam("kind")) != TaskKind.DELETION) {
            throw DomainException.notFound("only a deletion has an erasure certificate");
        }
        Task t = gdpr.check(access.caller(), TaskKind.DELETION, ctx.pathParam("tracking"));
        CertificateResponse.send(ctx, t.trackingId(), certificates.issue(t));
    }

    private static String step(String label, Long at) {
        return "<li" + (at == null ? " class=\"pending\"" : "") + ">" + Html.e(label) + ": "
                + (at == null ? "not yet" : Html.e(Html.when(at))) + "</li>";
    }

    private static String fact(String label, String value) {
        return "<dt>" + Html.e(label) + "</dt><dd>" + Html.e(value) + "</dd>";
    }

    private static String ids(String title, List<String> ids) {
        if (ids == null) {
            return "<h2>" + Html.e(title) + "</h2><p class=\"muted\">Not known yet.</p>";
        }
        StringBuilder s = new StringBuilder("<h2>").append(Html.e(title)).append(" (").append(ids.size()).append(")</h2>");
        if (ids.stream().anyMatch(id -> id.startsWith(TaskIdHashes.PREFIX))) {
            // why: Lethe keeps no clear copy of ids it was asked to forget; the operator should see why.
            s.append("<p class=\"muted\">Shown as keyed hashes: a finished task keeps no linked id in clear, and "
                    + "none at all after the id retention period (docs/erasure.md).</p>");
        }
        s.append("<p class=\"ids\">");
        int shown = 0;
        for (String id : ids) {
            if (shown++ == 500) {
                s.append("… and ").append(ids.size() - 500).append(" more");
                break;
            }
            s.append(Html.e(id)).append("<br>");
        }
        return s.append("</p>").toString();
    }
}
