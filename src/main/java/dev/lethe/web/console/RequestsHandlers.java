package dev.lethe.web.console;

import dev.lethe.domain.DomainException;
import dev.lethe.gdpr.GdprService;
import dev.lethe.gdpr.ListQuery;
import dev.lethe.task.Task;
import dev.lethe.task.TaskKind;
import dev.lethe.task.TaskStatus;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The requests page of a project: deletions and retrievals, newest first, filtered by status and
 * kind, a page at a time; {@code requests.js} refreshes the rows from the JSON twin while any runs.
 */
final class RequestsHandlers {

    static final int PAGE = 25;

    /** One page of rows, and the row id the next page starts below (null on the last page). */
    record Page(List<TaskRowView> rows, Long before, boolean active) {
    }

    private final ConsolePages pages;
    private final GdprService gdpr;

    RequestsHandlers(ConsolePages pages, GdprService gdpr) {
        this.pages = pages;
        this.gdpr = gdpr;
    }

    void page(Context ctx) {
        ConsolePages.Access access = pages.access(ctx);
        String status = param(ctx, "status");
        String kind = param(ctx, "kind");
        Page page = load(access, status, kind, ctx.queryParam("before"));
        String base = "/console/p/" + access.project().id() + "/requests";
        StringBuilder body = new StringBuilder();
        body.append("<form class=\"filters\" method=\"get\" action=\"").append(base).append("\">")
                .append(select("status", "Status", status, "", "any", "PENDING", "PENDING", "STAGING", "STAGING", "STARTED",
                        "STARTED", "SUCCESS", "SUCCESS", "FAILURE", "FAILURE", "REVOKED", "REVOKED"))
                .append(select("kind", "Kind", kind, "", "any", "deletion", "deletion", "retrieval", "retrieval"))
                .append("<button type=\"submit\" class=\"secondary\">Filter</button>")
                .append("<a class=\"button\" href=\"").append(base).append("/new\">New request</a></form>");
        body.append("<p class=\"muted\" id=\"refresh-note\" aria-live=\"polite\"></p>");
        body.append("<div class=\"table-wrap\"><table class=\"responsive\" id=\"requests\" data-source=\"").append(base)
                .append(".json?").append(Html.e(query(status, kind, ctx.queryParam("before")))).append("\" data-active=\"")
                .append(page.active()).append("\"><caption class=\"muted\">Newest first, ").append(PAGE)
                .append(" a page</caption><thead><tr><th scope=\"col\">Request</th><th scope=\"col\">Kind</th>")
                .append("<th scope=\"col\">Status</th><th scope=\"col\">Ids</th><th scope=\"col\">Asked by</th>")
                .append("<th scope=\"col\">Requested</th><th scope=\"col\">Took</th><th scope=\"col\">Counts</th></tr></thead><tbody>");
        page.rows().forEach(r -> body.append(r.html()));
        if (page.rows().isEmpty()) {
            body.append("<tr><td colspan=\"8\">No requests match.</td></tr>");
        }
        body.append("</tbody></table></div>");
        body.append("<p class=\"pager\">");
        if (ctx.queryParam("before") != null) {
            body.append("<a href=\"").append(base).append('?').append(Html.e(query(status, kind, null))).append("\">Newest</a> ");
        }
        if (page.before() != null) {
            body.append("<a href=\"").append(base).append('?').append(Html.e(query(status, kind, page.before().toString())))
                    .append("\">Older requests</a>");
        }
        body.append("</p>");
        ctx.html(Layout.page("Requests", access.frame("requests"), body.toString(), "requests.js"));
    }

    void json(Context ctx) {
        ConsolePages.Access access = pages.access(ctx);
        ConsoleSecurity.headers(ctx);
        ctx.json(load(access, param(ctx, "status"), param(ctx, "kind"), ctx.queryParam("before")));
    }

    private Page load(ConsolePages.Access access, String status, String kind, String before) {
        Long beforeId = null;
        if (before != null && !before.isEmpty()) {
            try {
                beforeId = Long.parseLong(before);
            } catch (NumberFormatException e) {
                throw DomainException.invalidInput("before must be a row number from an earlier page");
            }
        }
        TaskStatus statusFilter = ListQuery.parse(status, null, null).status();
        List<TaskKind> kinds = kind == null ? List.of(TaskKind.DELETION, TaskKind.RETRIEVAL) : List.of(parseKind(kind)
                .orElseThrow(() -> DomainException.invalidInput("kind must be deletion or retrieval")));
        // why: the two kinds share the tasks table's row ids, so merging two newest-first pages by id is exact
        List<Task> merged = new ArrayList<>();
        boolean more = false;
        for (TaskKind k : kinds) {
            GdprService.Listing listing = gdpr.list(access.caller(), k, new ListQuery(statusFilter, PAGE, beforeId));
            merged.addAll(listing.tasks());
            more |= listing.nextCursor() != null;
        }
        merged.sort((a, b) -> Long.compare(b.id(), a.id()));
        if (merged.size() > PAGE) {
            merged = merged.subList(0, PAGE);
            more = true;
        }
        List<TaskRowView> rows = merged.stream().map(t -> TaskRowView.of(access.project().id(), t)).toList();
        Long next = more && !merged.isEmpty() ? merged.get(merged.size() - 1).id() : null;
        return new Page(rows, next, rows.stream().anyMatch(TaskRowView::active));
    }

    /** The kind a page's path names; any other value names no page. */
    static TaskKind kind(String value) {
        return parseKind(value).orElseThrow(() -> DomainException.notFound("no such kind of request: use deletion or retrieval"));
    }

    /** The kind a form or filter gives, if it is one. */
    static Optional<TaskKind> parseKind(String value) {
        return switch (value == null ? "" : value.toLowerCase(Locale.ROOT)) {
            case "deletion" -> Optional.of(TaskKind.DELETION);
            case "retrieval" -> Optional.of(TaskKind.RETRIEVAL);
            default -> Optional.empty();
        };
    }

    private static String param(Context ctx, String name) {
        String v = ctx.queryParam(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static String query(String status, String kind, String before) {
        StringBuilder q = new StringBuilder();
        if (status != null) {
            q.append("status=").append(Html.url(status));
        }
        if (kind != null) {
            q.append(q.isEmpty() ? "" : "&").append("kind=").append(Html.url(kind));
        }
        if (before != null) {
            q.append(q.isEmpty() ? "" : "&").append("before=").append(Html.url(before));
        }
        return q.toString();
    }

    /** A labelled select; {@code options} are value/label pairs. */
    static String select(String name, String label, String current, String... options) {
        StringBuilder s = new StringBuilder("<div><label for=\"").append(name).append("\">").append(label)
                .append("</label><select id=\"").append(name).append("\" name=\"").append(name).append("\">");
        for (int i = 0; i < options.length; i += 2) {
            boolean selected = options[i].isEmpty() ? current == null : options[i].equalsIgnoreCase(current == null ? "" : current);
            s.append("<option value=\"").append(Html.e(options[i])).append('"').append(selected ? " selected" : "").append('>')
                    .append(Html.e(options[i + 1])).append("</option>");
        }
        return s.append("</select></div>").toString();
    }
}
