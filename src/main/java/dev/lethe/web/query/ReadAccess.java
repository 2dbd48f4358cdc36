package dev.lethe.web.query;

import dev.lethe.auth.ReadAuthenticator;
import dev.lethe.project.Project;
import dev.lethe.ratelimit.ProjectRateLimiter;
import io.javalin.http.Context;

/** Authenticates a read API call and takes a token of the project's rate limit for that kind of call. */
final class ReadAccess {

    private final ReadAuthenticator auth;
    private final ProjectRateLimiter limiter;

    ReadAccess(ReadAuthenticator auth, ProjectRateLimiter limiter) {
        this.auth = auth;
        this.limiter = limiter;
    }

    Project project(Context ctx, String projectIdParam) {
        Project project = auth.authenticate(ctx.header("Authorization"), projectIdParam);
        limiter.acquire(project.id());
        return project;
    }
}
