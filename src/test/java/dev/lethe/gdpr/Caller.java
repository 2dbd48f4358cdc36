package dev.lethe.gdpr;

import dev.lethe.auth.Role;
import dev.lethe.auth.ServiceAccountStore;
import dev.lethe.auth.UserStore;
import dev.lethe.project.Project;
import dev.lethe.project.Region;
import dev.lethe.testing.TestServer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Someone calling the GDPR API: an Authorization header, a project token, and the name
 * Lethe should report as {@code requesting_user}. Built from small factory methods.
 */
record Caller(String authorization, String projectToken, Project project, String name) {

    private static final AtomicInteger SEQ = new AtomicInteger();

    /** A new US project and its owner, calling with a fresh bearer token. */
    static Caller ownerOfNewProject(TestServer server) {
        return user(server, newProject(server, Region.US), Role.OWNER);
    }

    static Project newProject(TestServer server, Region region) {
        return server.app.projects().create("project-" + SEQ.incrementAndGet(), region).project();
    }

    /** A new user with this role on the project, calling with a fresh bearer token. */
    static Caller user(TestServer server, Project project, Role role) {
        UserStore.User user = server.app.users().create("user" + SEQ.incrementAndGet() + "@example.com");
        server.app.users().grant(user.id(), project.id(), role);
        String token = server.app.tokens().issue(user.id(), Duration.ofDays(365)).token();
        return new Caller("Bearer " + token, project.token(), project, user.email());
    }

    /** A new service account with this role on the project, calling with HTTP Basic. */
    static Caller serviceAccount(TestServer server, Project project, Role role) {
        ServiceAccountStore.Created sa = server.app.serviceAccounts().create("robot", project.id(), role);
        return new Caller(basic(sa.username(), sa.secret()), project.token(), project, sa.username());
    }

    static String basic(String user, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    String bearerToken() {
        return authorization.substring("Bearer ".length());
    }

    Caller withAuthorization(String header) {
        return new Caller(header, projectToken, project, name);
    }

    Caller withProjectToken(String token) {
        return new Caller(authorization, token, project, name);
    }
}
