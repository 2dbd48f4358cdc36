package dev.lethe.web.console;

import dev.lethe.audit.AuditLog;
import dev.lethe.auth.ConsoleAuth;
import dev.lethe.certificate.ErasureCertificates;
import dev.lethe.gdpr.GdprService;
import dev.lethe.lookup.PersonLookup;
import dev.lethe.crypto.InstanceKey;
import dev.lethe.project.ProjectStore;
import dev.lethe.project.Region;

import java.time.Duration;
import java.util.function.Supplier;

import static io.javalin.apibuilder.ApiBuilder.get;
import static io.javalin.apibuilder.ApiBuilder.path;
import static io.javalin.apibuilder.ApiBuilder.post;

/** The privacy console's routes (docs/console.md): pages under {@code /console/}, and {@code /} leads there. */
public final class ConsoleRoutes {

    /** What the console works with, built once by the app. */
    public record Services(ConsoleAuth auth, ProjectStore projects, Region region, InstanceKey key,
                           Supplier<String> publicUrl, Duration sessionMaxAge, GdprService gdpr, PersonLookup lookup,
                           AuditLog audit, ErasureCertificates certificates) {
    }

    private final ConsolePages pages;
    private final SignInHandlers signIn;
    private final RequestsHandlers requests;
    private final NewRequestHandlers newRequest;
    private final RequestHandlers request;
    private final PeopleHandlers people;
    private final AuditHandlers audit;

    public ConsoleRoutes(Services s) {
        this.pages = new ConsolePages(new ConsoleSecurity(s.auth(), s.key(), s.publicUrl(), s.sessionMaxAge()),
                s.auth(), s.projects(), s.region());
        this.signIn = new SignInHandlers(pages, s.auth());
        this.requests = new RequestsHandlers(pages, s.gdpr());
        this.newRequest = new NewRequestHandlers(pages, s.gdpr(), s.lookup());
        this.request = new RequestHandlers(pages, s.gdpr(), s.certificates());
        this.people = new PeopleHandlers(pages, s.lookup());
        this.audit = new AuditHandlers(pages, s.audit());
    }

    /** Registers the routes; called inside the app's route table. */
    public void define() {
        get("/", ctx -> ctx.redirect("/console/"));
        path("/console", () -> {
            get("/", pages.page(signIn::home));
            get("/assets/{file}", Assets::serve);
            get("/sign-in", pages.page(signIn::form));
            post("/sign-in", pages.page(signIn::signIn));
            post("/sign-out", pages.page(signIn::signOut));
            path("/p/{project}", () -> {
                get("/requests", pages.page(requests::page));
                // why: a JSON twin for requests.js; its refusals take the API's JSON error shape (ErrorMapper)
                get("/requests.json", requests::json);
                get("/requests/new", pages.page(newRequest::form));
                post("/requests/new", pages.page(newRequest::submit));
                post("/requests/confirm", pages.page(newRequest::confirm));
                get("/requests/{kind}/{tracking}", pages.page(request::page));
                post("/requests/{kind}/{tracking}/cancel", pages.page(request::cancel));
                get("/requests/{kind}/{tracking}/download", pages.page(request::download));
                get("/requests/{kind}/{tracking}/certificate", pages.page(request::certificate));
                get("/people", pages.page(people::page));
                get("/audit", pages.page(audit::page));
            });
        });
    }
}
