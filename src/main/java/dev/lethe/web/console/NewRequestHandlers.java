package dev.lethe.web.console;

import dev.lethe.audit.Origin;
import dev.lethe.domain.DomainException;
import dev.lethe.gdpr.CreateRequest;
import dev.lethe.gdpr.GdprService;
import dev.lethe.gdpr.IdList;
import dev.lethe.lookup.PersonLookup;
import dev.lethe.task.Task;
import dev.lethe.task.DeletionMode;
import dev.lethe.task.TaskKind;
import dev.lethe.web.FormBody;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.util.Locale;
import java.util.Optional;

/**
 * The new-request form: a deletion or a retrieval, its types, and the ids pasted or uploaded as a
 * CSV file. A list with any refused line files nothing and says which lines and why; a deletion
 * is filed only after a confirmation page shows what it will erase.
 */
final class NewRequestHandlers {

    /** A CSV of 2000 ids of 255 four-byte characters, with room for quoting and other columns. */
    static final int MAX_CSV_BYTES = 4 * 1024 * 1024;

    /** The form's fields as sent, to render it again. */
    record Fields(String kind, String compliance, String disclosure, boolean suppress, String ids, String mode) {
        static Fields blank(String kind, String ids) {
            return new Fields(kind == null ? "deletion" : kind, "GDPR", "Data", false, ids == null ? "" : ids, "delete");
        }
    }

    private final ConsolePages pages;
    private final GdprService gdpr;
    private final PersonLookup lookup;

    NewRequestHandlers(ConsolePages pages, GdprService gdpr, PersonLookup lookup) {
        this.pages = pages;
        this.gdpr = gdpr;
        this.lookup = lookup;
    }

    void form(Context ctx) {
        ConsolePages.Access access = pages.access(ctx);
        String kind = ctx.queryParam("kind");
        form(ctx, access, Fields.blank("retrieval".equals(kind) ? "retrieval" : "deletion", ctx.queryParam("id")), null, null);
    }

    void submit(Context ctx) {
        ConsolePages.Access access = pages.accessForChange(ctx);
        Fields fields = fields(ctx);
        Optional<TaskKind> chosen = RequestsHandlers.parseKind(fields.kind());
        if (chosen.isEmpty()) {
            ctx.status(400);
            form(ctx, access, fields, null, "the kind of request must be deletion or retrieval");
            return;
        }
        IdList ids = IdList.parse(fields.ids(), csv(ctx));
        if (!ids.acceptable()) {
            ctx.status(400);
            form(ctx, access, fields, ids, ids.problem());
            return;
        }
        TaskKind kind = chosen.get();
        CreateRequest request;
        try {
            request = CreateRequest.of(kind, ids.ids(), fields.compliance(), fields.disclosure(), fields.suppress(), fields.mode());
        } catch (DomainException e) {
            ctx.status(400);
            form(ctx, access, fields, ids, e.getMessage());
            return;
        }
        if (kind == TaskKind.DELETION) {
            confirmPage(ctx, access, request, ids);
            return;
        }
        file(ctx, access, kind, request);
    }

    void confirm(Context ctx) {
        ConsolePages.Access access = pages.accessForChange(ctx);
        Fields fields = fields(ctx);
        IdList ids = IdList.parse(fields.ids(), null);
        if (!ids.acceptable()) {
            throw DomainException.invalidInput(ids.problem());
        }
        file(ctx, access, TaskKind.DELETION,
                CreateRequest.of(TaskKind.DELETION, ids.ids(), fields.compliance(), fields.disclosure(), fields.suppress(),
                        fields.mode()));
    }

    private void file(Context ctx, ConsolePages.Access access, TaskKind kind, CreateRequest request) {
        Task task = gdpr.create(access.caller(), kind, request, Origin.console(ctx.ip()));
        ctx.redirect("/console/p/" + access.project().id() + "/requests/" + kind.name().toLowerCase(Locale.ROOT) + "/"
                + task.trackingId(), HttpStatus.SEE_OTHER);
    }

    private void confirmPage(Context ctx, ConsolePages.Access access, CreateRequest request, IdList ids) {
        PersonLookup.Preview preview = lookup.preview(access.project().id(), request.distinctIds());
        String base = "/console/p/" + access.project().id() + "/requests";
        StringBuilder body = new StringBuilder();
        body.append(Layout.notice("info", "Check what this deletion will erase. Nothing has been filed yet."));
        body.append("<dl class=\"facts\" id=\"preview\">")
                .append("<dt>Ids requested</dt><dd>").append(request.distinctIds().size())
                .append(ids.repeats() > 0 ? " (" + ids.repeats() + " repeated lines counted once)" : "").append("</dd>")
                .append("<dt>Linked ids covered</dt><dd>").append(preview.linkedIds().size()).append("</dd>")
                .append("<dt>Events held now</dt><dd id=\"preview-events\">").append(preview.events()).append("</dd>")
                .append("<dt>Profiles held now</dt><dd id=\"preview-profiles\">").append(preview.profiles()).append("</dd>")
                .append("<dt>Compliance</dt><dd>").append(Html.e(request.compliance().name())).append("</dd>")
                .append("<dt>Block future events</dt><dd>").append(request.suppress() ? "yes (suppress)" : "no").append("</dd>")
                .append("<dt>Mode</dt><dd id=\"preview-mode\">").append(request.mode() == DeletionMode.ANONYMIZE
                        ? "anonymize (events kept under a pseudonym, without ids and personal properties)" : "delete").append("</dd>")
                .append("</dl>");
        body.append("<details><summary>The ").append(preview.linkedIds().size()).append(" ids it covers</summary><p class=\"ids\">");
        int shown = 0;
        for (String id : preview.linkedIds()) {
            if (shown++ == 500) {
                body.append("… and ").append(preview.linkedIds().size() - 500).append(" more");
                break;
            }
            body.append(Html.e(id)).append("<br>");
        }
        body.append("</p></details>");
        body.append("<form method=\"post\" action=\"").append(base).append("/confirm\">")
                .append(Layout.csrfField(access.operator().csrf()))
                .append(hidden("kind", "deletion")).append(hidden("compliance", request.compliance().name()))
                .append(request.suppress() ? hidden("suppress", "on") : "")
                .append(hidden("mode", request.mode().wireName()))
                .append(hidden("ids", String.join("\n", request.distinctIds())))
                .append("<div class=\"actions\"><button type=\"submit\" class=\"danger\" id=\"confirm-deletion\">Erase this data</button>")
                .append("<a class=\"button secondary\" href=\"").append(base).append("/new\">Cancel</a></div></form>");
        ctx.html(Layout.page("Confirm the deletion", access.frame("new"), body.toString()));
    }

    private void form(Context ctx, ConsolePages.Access access, Fields f, IdList ids, String problem) {
        String base = "/console/p/" + access.project().id() + "/requests";
        StringBuilder body = new StringBuilder();
        if (problem != null) {
            body.append(Layout.notice("error", problem));
        }
        if (ids != null && !ids.refused().isEmpty()) {
            body.append("<h2 id=\"refused-heading\">Refused lines</h2><ul class=\"refused\" id=\"refused\" aria-labelledby=\"refused-heading\">");
            ids.refused().forEach(r -> body.append("<li>").append(Html.e(r.source())).append(", line ").append(r.line())
                    .append(" (<code>").append(Html.e(r.excerpt())).append("</code>): ").append(Html.e(r.reason())).append("</li>"));
            body.append("</ul>");
        }
        body.append("<form class=\"card\" method=\"post\" action=\"").append(base).append("/new\" enctype=\"multipart/form-data\">")
                .append(Layout.csrfField(access.operator().csrf()))
                .append("<fieldset><legend>Request</legend>")
                .append(radio("kind", "deletion", "Deletion (erase the person's data)", f.kind()))
                .append(radio("kind", "retrieval", "Retrieval (export the person's data)", f.kind()))
                .append("</fieldset>")
                .append(RequestsHandlers.select("compliance", "Compliance type", f.compliance(), "GDPR", "GDPR", "CCPA", "CCPA"))
                .append(RequestsHandlers.select("disclosure", "Disclosure type (CCPA retrievals)", f.disclosure(),
                        "Data", "Data", "Categories", "Categories", "Sources", "Sources"))
                .append("<div class=\"check\"><input type=\"checkbox\" id=\"suppress\" name=\"suppress\"").append(f.suppress() ? " checked" : "")
                .append("> <label for=\"suppress\">Also block future events of these ids (deletions)</label></div>")
                .append(RequestsHandlers.select("mode", "Deletion mode", f.mode(), "delete", "Delete the events",
                        "anonymize", "Anonymize: keep the events under a pseudonym (docs/erasure.md)"))
                .append("<label for=\"ids\">Distinct ids, one a line</label>")
                .append("<textarea id=\"ids\" name=\"ids\" aria-describedby=\"ids-help\">").append(Html.e(f.ids())).append("</textarea>")
                .append("<p id=\"ids-help\" class=\"muted\">Up to ").append(CreateRequest.MAX_IDS)
                .append(" ids, each at most ").append(CreateRequest.MAX_ID_LENGTH).append(" characters; repeats count once.</p>")
                .append("<label for=\"csv\">Or a CSV file (ids in the first column; a distinct_id header is skipped)</label>")
                .append("<input type=\"file\" id=\"csv\" name=\"csv\" accept=\".csv,.txt,text/csv,text/plain\">")
                .append("<div><button type=\"submit\" id=\"submit-request\">Continue</button></div></form>");
        ctx.html(Layout.page("New request", access.frame("new"), body.toString()));
    }

    private static Fields fields(Context ctx) {
        FormBody form = FormBody.of(ctx);
        String kind = form.text("kind");
        String ids = form.text("ids");
        return new Fields(kind == null ? "deletion" : kind, form.text("compliance"), form.text("disclosure"),
                form.text("suppress") != null, ids == null ? "" : ids, form.text("mode"));
    }

    private static byte[] csv(Context ctx) {
        return FormBody.of(ctx).file("csv", MAX_CSV_BYTES, "the CSV file is over " + MAX_CSV_BYTES / (1024 * 1024) + " MiB");
    }

    private static String hidden(String name, String value) {
        return "<input type=\"hidden\" name=\"" + name + "\" value=\"" + Html.e(value) + "\">";
    }

    private static String radio(String name, String value, String label, String current) {
        String id = name + "-" + value;
        return "<input type=\"radio\" id=\"" + id + "\" name=\"" + name + "\" value=\"" + value + "\""
                + (value.equals(current) ? " checked" : "") + "><label for=\"" + id + "\">" + Html.e(label) + "</label> ";
    }

}
