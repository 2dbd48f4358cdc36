package dev.lethe.web.console;

import dev.lethe.auth.ConsoleAuth;
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
                           Supplier<String> publicUrl, Duration sessionMaxAge) {
    }

    private final ConsolePages pages;
    private final SignInHandlers signIn;

    public ConsoleRoutes(Services s) {
        this.pages = new ConsolePages(new ConsoleSecurity(s.auth(), s.key(), s.publicUrl(), s.sessionMaxAge()),
                s.auth(), s.projects(), s.region());
        this.signIn = new SignInHandlers(pages, s.auth());
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
        });
    }
}
