package dev.lethe.auth;

import dev.lethe.project.Project;

/**
 * Who is calling the GDPR API, on which project, with which role there: the outcome of {@link GdprAuthenticator}.
 * {@code actorKind} says what kind of credential it was ({@code user} or {@code service_account}), for the audit log.
 */
public record GdprCaller(Project project, String requestingUser, String actorKind, Role role) {
}
