package dev.lethe.web.console;

import dev.lethe.domain.DomainException;
import dev.lethe.gdpr.CreateRequest;
import dev.lethe.lookup.PersonLookup;
import dev.lethe.task.Task;
import io.javalin.http.Context;

/** Person lookup: an id's linked ids, events, first and last seen, profile property names and open requests. */
final class PeopleHandlers {

    private final ConsolePages pages;
    private final PersonLookup lookup;

    PeopleHandlers(ConsolePages pages, PersonLookup lookup) {
        this.pages = pages;
        this.lookup = lookup;
    }

    void page(Context ctx) {
        ConsolePages.Access access = pages.access(ctx);
        String id = ctx.queryParam("id");
        long projectId = access.project().id();
        String base = "/console/p/" + projectId;
        StringBuilder body = new StringBuilder();
        body.append("<form class=\"filters\" method=\"get\" action=\"").append(base).append("/people\" role=\"search\">")
                .append("<div><label for=\"id\">Distinct id, user id, alias or device id</label>")
                .append("<input type=\"search\" id=\"id\" name=\"id\" required value=\"").append(Html.e(id == null ? "" : id))
                .append("\"></div><button type=\"submit\">Look up</button></form>");
        if (id != null && !id.isBlank()) {
            String trimmed = id.strip();
            if (trimmed.length() > CreateRequest.MAX_ID_LENGTH || trimmed.indexOf('\0') >= 0) {
                throw DomainException.invalidInput("not a distinct id: at most " + CreateRequest.MAX_ID_LENGTH
                        + " characters, no NUL");
            }
            PersonLookup.Person p = lookup.person(projectId, trimmed);
            body.append("<h2>").append(Html.e(trimmed)).append("</h2><dl class=\"facts\" id=\"person\">")
                    .append("<dt>Linked ids</dt><dd class=\"ids\" id=\"linked\">").append(Html.e(String.join(", ", p.linkedIds()))).append("</dd>")
                    .append("<dt>Events</dt><dd id=\"events\">").append(p.events()).append("</dd>")
                    .append("<dt>First seen</dt><dd>").append(p.firstSeen() == null ? "never" : Html.e(Html.when(p.firstSeen()))).append("</dd>")
                    .append("<dt>Last seen</dt><dd>").append(p.lastSeen() == null ? "never" : Html.e(Html.when(p.lastSeen()))).append("</dd>")
                    .append("<dt>Profile properties</dt><dd>").append(p.profileProperties().isEmpty() ? "no profile"
                            : Html.e(String.join(", ", p.profileProperties()))).append("</dd>")
                    .append("</dl><h2>Open requests</h2>");
            if (p.openRequests().isEmpty()) {
                body.append("<p>None.</p>");
            } else {
                body.append("<ul>");
                for (Task t : p.openRequests()) {
                    TaskRowView r = TaskRowView.of(projectId, t);
                    body.append("<li><a href=\"").append(Html.e(r.href())).append("\">").append(Html.e(r.kind())).append(' ')
                            .append(Html.e(r.tracking_id())).append("</a> — ").append(Html.e(r.status())).append("</li>");
                }
                body.append("</ul>");
            }
            String q = "&id=" + Html.url(trimmed);
            body.append("<div class=\"actions\">")
                    .append("<a class=\"button\" id=\"start-retrieval\" href=\"").append(base).append("/requests/new?kind=retrieval")
                    .append(Html.e(q)).append("\">Start a retrieval</a>")
                    .append("<a class=\"button secondary\" id=\"start-deletion\" href=\"").append(base)
                    .append("/requests/new?kind=deletion").append(Html.e(q)).append("\">Start a deletion</a></div>");
        }
        ctx.html(Layout.page("Person lookup", access.frame("people"), body.toString()));
    }
}
