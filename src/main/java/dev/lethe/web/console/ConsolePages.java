package dev.lethe.web.console;

import dev.lethe.auth.Role;
import dev.lethe.auth.UserStore;
import dev.lethe.domain.DomainException;
import dev.lethe.project.Project;
import dev.lethe.project.ProjectStore;
import dev.lethe.project.Region;
import dev.lethe.auth.ConsoleAuth;
import dev.lethe.auth.GdprCaller;
import dev.lethe.web.ErrorMapper;
import io.javalin.http.Context;
import io.javalin.http.Handler;

import java.util.Map;
import java.util.Optional;

/**
 * What every console page shares: rendering a refusal as a page (a missing session sends the
 * browser to sign-in), and access to a project, which only its owners and admins have.
 */
final class ConsolePages {

    /** The operator on a project they may act on, as the GDPR service sees them. */
    record Access(ConsoleSecurity.Operator operator, Project project, GdprCaller caller) {
        Layout.Frame frame(String current) {
            return new Layout.Frame(operator.user().email(), project, operator.csrf(), current);
        }
    }

    /** A page body that may refuse with a {@link DomainException}. */
    interface PageHandler {
        void handle(Context ctx) throws Exception;
    }

    private final ConsoleSecurity security;
    private final ConsoleAuth auth;
    private final ProjectStore projects;
    private final Region region;

    ConsolePages(ConsoleSecurity security, ConsoleAuth auth, ProjectStore projects, Region region) {
        this.security = security;
        this.auth = auth;
        this.projects = projects;
        this.region = region;
    }

    ConsoleSecurity security() {
        return security;
    }

    /** Wraps a page: refusals become pages with the status ErrorMapper gives their reason. */
    Handler page(PageHandler body) {
        return ctx -> {
            ConsoleSecurity.headers(ctx);
            try {
                body.handle(ctx);
            } catch (DomainException e) {
                if (e.reason() == DomainException.Reason.UNAUTHENTICATED && "GET".equals(ctx.method().name())) {
                    ctx.redirect("/console/sign-in?next=" + Html.url(ctx.path()));
                    return;
                }
                refusal(ctx, e);
            }
        };
    }

    void refusal(Context ctx, DomainException e) {
        ctx.status(ErrorMapper.status(e.reason()));
        ErrorMapper.answered(ctx);
        if (e.retryAfterSeconds() != null) {
            ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
        }
        Optional<ConsoleSecurity.Operator> op = security.operator(ctx);
        Layout.Frame frame = op.map(o -> new Layout.Frame(o.user().email(), null, o.csrf(), null)).orElse(Layout.Frame.signedOut());
        String more = e.reason() == DomainException.Reason.UNAUTHENTICATED
                ? "<p><a href=\"/console/sign-in\">Sign in</a></p>" : "<p><a href=\"/console/\">Back to your projects</a></p>";
        ctx.html(Layout.page(title(e.reason()), frame, Layout.notice("error", e.getMessage()) + more));
    }

    /** The project of the path, if the signed-in operator is its owner or admin; else a refusal. */
    Access access(Context ctx) {
        ConsoleSecurity.Operator op = security.require(ctx);
        return access(op, ctx.pathParam("project"));
    }

    /** Like {@link #access(Context)} for a state-changing request: the CSRF token must match too. */
    Access accessForChange(Context ctx) {
        ConsoleSecurity.Operator op = security.requireForChange(ctx);
        return access(op, ctx.pathParam("project"));
    }

    private Access access(ConsoleSecurity.Operator op, String projectParam) {
        long projectId;
        try {
            projectId = Long.parseLong(projectParam);
        } catch (NumberFormatException e) {
            throw DomainException.notFound("no such project");
        }
        Map<Long, Role> roles = auth.roles(op.user().id());
        Role role = roles.get(projectId);
        Optional<Project> project = projects.byId(projectId).filter(p -> p.region() == region);
        // why: one answer for "no such project" and "not yours", as the API does for project tokens
        if (role == null || !role.mayUseGdpr() || project.isEmpty()) {
            throw DomainException.forbidden("you have no owner or admin role on this project");
        }
        return new Access(op, project.get(), new GdprCaller(project.get(), op.user().email(), "user", role));
    }

    /** The projects of this region the operator belongs to, with their role. */
    Map<Project, Role> memberships(UserStore.User user) {
        Map<Project, Role> out = new java.util.LinkedHashMap<>();
        auth.roles(user.id()).forEach((id, role) -> projects.byId(id).filter(p -> p.region() == region)
                .ifPresent(p -> out.put(p, role)));
        return out;
    }

    private static String title(DomainException.Reason reason) {
        return switch (reason) {
            case UNAUTHENTICATED -> "Please sign in";
            case FORBIDDEN -> "Not allowed";
            case NOT_FOUND -> "Not found";
            case RATE_LIMITED -> "Too many attempts";
            case GONE -> "No longer available";
            case STATE_CONFLICT, NOT_READY -> "Not possible now";
            case UNAVAILABLE -> "Store unavailable";
            default -> "Cannot do that";
        };
    }
}
