package dev.lethe.web.console;

import dev.lethe.auth.ConsoleAuth;
import dev.lethe.auth.Role;
import dev.lethe.auth.SessionStore;
import dev.lethe.domain.DomainException;
import dev.lethe.project.Project;
import dev.lethe.web.FormBody;
import io.javalin.http.Context;

import java.util.Map;
import java.util.Optional;

/** Sign-in, sign-out, and the home page listing the operator's projects. */
final class SignInHandlers {

    private final ConsolePages pages;
    private final ConsoleAuth auth;

    SignInHandlers(ConsolePages pages, ConsoleAuth auth) {
        this.pages = pages;
        this.auth = auth;
    }

    void form(Context ctx) {
        if (pages.security().operator(ctx).isPresent()) {
            ctx.redirect("/console/");
            return;
        }
        renderForm(ctx, null, "", ctx.queryParam("next"));
    }

    void signIn(Context ctx) {
        String email = "";
        String next = ctx.queryParam("next");
        try {
            FormBody form = FormBody.of(ctx);
            email = form.text("email") == null ? "" : form.text("email");
            next = form.text("next") != null ? form.text("next") : next;
            pages.security().checkSignInForm(ctx);
            SessionStore.Session session = auth.signIn(form.text("email"), form.text("password"), ctx.ip());
            pages.security().startSession(ctx, session);
            ctx.redirect(safeNext(next), io.javalin.http.HttpStatus.SEE_OTHER);
        } catch (DomainException e) {
            ctx.status(dev.lethe.web.ErrorMapper.status(e.reason()));
            if (e.retryAfterSeconds() != null) {
                ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
            }
            renderForm(ctx, e.getMessage(), email, next);
        }
    }

    void signOut(Context ctx) {
        pages.security().requireForChange(ctx);
        pages.security().endSession(ctx);
        ctx.redirect("/console/sign-in", io.javalin.http.HttpStatus.SEE_OTHER);
    }

    void home(Context ctx) {
        ConsoleSecurity.Operator op = pages.security().require(ctx);
        Map<Project, Role> projects = pages.memberships(op.user());
        Optional<Project> only = projects.size() == 1 && projects.values().iterator().next().mayUseGdpr()
                ? Optional.of(projects.keySet().iterator().next()) : Optional.empty();
        if (only.isPresent()) {
            ctx.redirect("/console/p/" + only.get().id() + "/requests");
            return;
        }
        StringBuilder body = new StringBuilder();
        if (projects.isEmpty()) {
            body.append(Layout.notice("info", "You belong to no project yet: ask an owner to grant you a role "
                    + "(lethe admin grant)."));
        } else {
            body.append("<ul class=\"projects\">");
            projects.forEach((p, role) -> {
                body.append("<li>");
                if (role.mayUseGdpr()) {
                    body.append("<a href=\"/console/p/").append(p.id()).append("/requests\">").append(Html.e(p.name())).append("</a>");
                } else {
                    body.append(Html.e(p.name())).append(" — your role (").append(role.wireName())
                            .append(") gives no access to data-subject requests");
                }
                body.append(" <span class=\"muted\">(").append(role.wireName()).append(")</span></li>");
            });
            body.append("</ul>");
        }
        ctx.html(Layout.page("Your projects", new Layout.Frame(op.user().email(), null, op.csrf(), null), body.toString()));
    }

    private void renderForm(Context ctx, String error, String email, String next) {
        String nonce = pages.security().newSignInNonce(ctx);
        String body = (error == null ? "" : Layout.notice("error", error))
                + "<form class=\"card narrow\" method=\"post\" action=\"/console/sign-in\">"
                + "<input type=\"hidden\" name=\"nonce\" value=\"" + Html.e(nonce) + "\">"
                + "<input type=\"hidden\" name=\"next\" value=\"" + Html.e(safeNext(next)) + "\">"
                + "<label for=\"email\">Email</label>"
                + "<input id=\"email\" name=\"email\" type=\"email\" autocomplete=\"username\" required autofocus value=\""
                + Html.e(email) + "\">"
                + "<label for=\"password\">Password</label>"
                + "<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>"
                + "<button type=\"submit\">Sign in</button></form>";
        ctx.html(Layout.page("Sign in", Layout.Frame.signedOut(), body));
    }

    /** Only a path inside the console, so the form cannot be made to redirect elsewhere. */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/console/") || next.startsWith("//") || next.contains("\\")
                || next.startsWith("/console/sign-")) {
            return "/console/";
        }
        return next;
    }
}
