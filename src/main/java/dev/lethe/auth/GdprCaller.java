package dev.lethe.auth;

import dev.lethe.project.Project;

/** Who is calling the GDPR API, on which project, with which role there: the outcome of {@link GdprAuthenticator}. */
public record GdprCaller(Project project, String requestingUser, Role role) {
}
