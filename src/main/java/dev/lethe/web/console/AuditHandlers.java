package dev.lethe.web.console;

import dev.lethe.audit.AuditEntry;
import dev.lethe.audit.AuditLog;
import dev.lethe.domain.DomainException;
import io.javalin.http.Context;

import java.util.List;

/** The project's audit log, newest first, a page at a time. */
final class AuditHandlers {

    static final int PAGE = 50;

    private final ConsolePages pages;
    private final AuditLog audit;

    AuditHandlers(ConsolePages pages, AuditLog audit) {
        this.pages = pages;
        this.audit = audit;
    }

    void page(Context ctx) {
        ConsolePages.Access access = pages.access(ctx);
        Long before = null;
        String param = ctx.queryParam("before");
        if (param != null && !param.isBlank()) {
            try {
                before = Long.parseLong(param.trim());
            } catch (NumberFormatException e) {
                throw DomainException.invalidInput("before must be a line number from an earlier page");
            }
        }
        List<AuditEntry> rows = audit.page(access.project().id(), before, PAGE + 1);
        boolean more = rows.size() > PAGE;
        if (more) {
            rows = rows.subList(0, PAGE);
        }
        StringBuilder body = new StringBuilder("<p class=\"muted\">Every request created, cancelled or downloaded, "
                + "through the API or this console. People appear only as keyed hashes of their ids.</p>");
        body.append("<div class=\"table-wrap\"><table class=\"responsive\" id=\"audit\"><thead><tr>")
                .append("<th scope=\"col\">When</th><th scope=\"col\">Action</th><th scope=\"col\">Request</th>")
                .append("<th scope=\"col\">Who</th><th scope=\"col\">Via</th><th scope=\"col\">From</th>")
                .append("<th scope=\"col\">Ids</th><th scope=\"col\">Outcome</th></tr></thead><tbody>");
        for (AuditEntry e : rows) {
            body.append("<tr>")
                    .append(td("When", Html.when(e.at())))
                    .append(td("Action", e.action() + (e.taskKind() == null ? "" : " " + e.taskKind().toLowerCase())))
                    .append(td("Request", e.trackingId()))
                    .append(td("Who", e.actor() + " (" + e.actorKind() + ")"))
                    .append(td("Via", e.channel()))
                    .append(td("From", e.ip()))
                    .append(td("Ids", e.idCount() == 0 ? "" : Integer.toString(e.idCount())))
                    .append(td("Outcome", e.outcome()))
                    .append("</tr>");
        }
        if (rows.isEmpty()) {
            body.append("<tr><td colspan=\"8\">Nothing recorded yet.</td></tr>");
        }
        body.append("</tbody></table></div>");
        if (more) {
            body.append("<p><a href=\"?before=").append(rows.get(rows.size() - 1).id()).append("\">Older lines</a></p>");
        }
        ctx.html(Layout.page("Audit log", access.frame("audit"), body.toString()));
    }

    private static String td(String label, String value) {
        return "<td data-label=\"" + label + "\">" + Html.e(value) + "</td>";
    }
}
