package dev.lethe.web.query;

import dev.lethe.auth.ReadAuthenticator;
import dev.lethe.project.Project;
import dev.lethe.ratelimit.ProjectConcurrency;
import dev.lethe.ratelimit.ProjectRateLimiter;
import io.javalin.http.Context;

/**
 * Authenticates a read API call and takes a token of the project's rate limit for that kind of
 * call; the calls that scan (exports, engage pages) also hold one of the project's slots while they run.
 */
final class ReadAccess {

    /** An authenticated call holding a slot until closed; closing it again does nothing. */
    record Call(Project project, ProjectConcurrency.Slot slot) implements AutoCloseable {
        @Override
        public void close() {
            slot.close();
        }
    }

    private final ReadAuthenticator auth;
    private final ProjectRateLimiter limiter;
    private final ProjectConcurrency running;

    ReadAccess(ReadAuthenticator auth, ProjectRateLimiter limiter, ProjectConcurrency running) {
        this.auth = auth;
        this.limiter = limiter;
        this.running = running;
    }

    /** For calls answered at once from small tables: authenticated and rate-limited. */
    Project project(Context ctx, String projectIdParam) {
        Project project = auth.authenticate(ctx.header("Authorization"), projectIdParam);
        limiter.acquire(project.id());
        return project;
    }

    /** For calls that scan: as {@link #project}, plus a slot of the project's concurrency limit. */
    Call enter(Context ctx, String projectIdParam) {
        Project project = project(ctx, projectIdParam);
        return new Call(project, running.enter(project.id()));
    }
}
