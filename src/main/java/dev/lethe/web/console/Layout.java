package dev.lethe.web.console;

import dev.lethe.project.Project;

/** The frame around every console page: header, the project's navigation, the main landmark. */
final class Layout {

    /** Who is looking and where: {@code project} is null outside a project, {@code csrf} null when signed out. */
    record Frame(String userEmail, Project project, String csrf, String current) {
        static Frame signedOut() {
            return new Frame(null, null, null, null);
        }
    }

    private Layout() {
    }

    static String page(String title, Frame frame, String main, String... modules) {
        StringBuilder out = new StringBuilder(4096 + main.length());
        out.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>").append(Html.e(title)).append(" · Lethe privacy console</title>")
                .append("<link rel=\"stylesheet\" href=\"/console/assets/console.css\">");
        for (String module : modules) {
            out.append("<script type=\"module\" src=\"/console/assets/").append(Html.e(module)).append("\"></script>");
        }
        out.append("</head><body>")
                .append("<a class=\"skip\" href=\"#main\">Skip to content</a>")
                .append("<header class=\"top\"><a class=\"brand\" href=\"/console/\">Lethe privacy console</a>");
        if (frame.userEmail() != null) {
            out.append("<form class=\"signout\" method=\"post\" action=\"/console/sign-out\">")
                    .append(csrfField(frame.csrf()))
                    .append("<span class=\"who\">").append(Html.e(frame.userEmail())).append("</span> ")
                    .append("<button type=\"submit\">Sign out</button></form>");
        }
        out.append("</header>");
        if (frame.project() != null) {
            String base = "/console/p/" + frame.project().id();
            out.append("<nav aria-label=\"Project\"><span class=\"project\">").append(Html.e(frame.project().name()))
                    .append("</span><ul>")
                    .append(navItem(base + "/requests", "Requests", "requests", frame.current()))
                    .append(navItem(base + "/requests/new", "New request", "new", frame.current()))
                    .append(navItem(base + "/people", "Person lookup", "people", frame.current()))
                    .append(navItem(base + "/audit", "Audit log", "audit", frame.current()))
                    .append("</ul></nav>");
        }
        out.append("<main id=\"main\" tabindex=\"-1\"><h1>").append(Html.e(title)).append("</h1>")
                .append(main).append("</main></body></html>\n");
        return out.toString();
    }

    static String csrfField(String csrf) {
        return csrf == null ? "" : "<input type=\"hidden\" name=\"csrf\" value=\"" + Html.e(csrf) + "\">";
    }

    static String notice(String kind, String text) {
        return "<p class=\"notice " + kind + "\" role=\"" + ("error".equals(kind) ? "alert" : "status") + "\">"
                + Html.e(text) + "</p>";
    }

    private static String navItem(String href, String label, String key, String current) {
        boolean here = key.equals(current);
        return "<li><a href=\"" + href + "\"" + (here ? " aria-current=\"page\"" : "") + ">" + label + "</a></li>";
    }
}
