package dev.lethe.auth;

import dev.lethe.domain.DomainException;
import dev.lethe.project.Project;
import dev.lethe.project.ProjectStore;
import dev.lethe.project.Region;

import java.util.Optional;

/**
 * Who may read a project's data through the read APIs (export, engage, schema), as Mixpanel
 * accepts it: HTTP Basic with a service account whose role on {@code project_id} is analyst or
 * above (project_id required), or the project's api_secret as the Basic user with an empty
 * password or alone (no colon). The credential is checked first (401), then the project and
 * the role (403), then the region (403).
 */
public final class ReadAuthenticator {

    private final ServiceAccountStore serviceAccounts;
    private final ProjectStore projects;
    private final Region region;

    public ReadAuthenticator(ServiceAccountStore serviceAccounts, ProjectStore projects, Region region) {
        this.serviceAccounts = serviceAccounts;
        this.projects = projects;
        this.region = region;
    }

    /**
     * @param authorization the Authorization header, or null
     * @param projectIdParam the {@code project_id} parameter (or path segment), or null
     */
    public Project authenticate(String authorization, String projectIdParam) {
        if (authorization == null || authorization.isBlank()) {
            throw DomainException.unauthenticated("credentials required: HTTP Basic with a service account "
                    + "(and project_id), or with the project's api_secret as the user");
        }
        BasicCredentials basic = BasicCredentials.parse(authorization);
        Long projectId = projectIdParam == null || projectIdParam.isBlank() ? null : projectId(projectIdParam);
        Project project = basic.isServiceAccount()
                ? serviceAccountProject(basic, projectId)
                : projects.byApiSecret(basic.user())
                        .orElseThrow(() -> DomainException.unauthenticated("unknown service account, api_secret or secret"));
        if (projectId != null && projectId != project.id()) {
            throw DomainException.forbidden("these credentials are not valid for project_id " + projectId);
        }
        if (project.region() != region) {
            throw DomainException.forbidden("project is in the " + project.region() + " region; this instance serves " + region);
        }
        return project;
    }

    private Project serviceAccountProject(BasicCredentials basic, Long projectId) {
        ServiceAccountStore.Account account = serviceAccounts.authenticate(basic.user(), basic.password())
                .orElseThrow(() -> DomainException.unauthenticated("unknown service account, api_secret or secret"));
        if (projectId == null) {
            throw DomainException.invalidInput("project_id is required with a service account");
        }
        Optional<Role> role = serviceAccounts.role(account.id(), projectId);
        if (role.isEmpty() || !role.get().mayReadData()) {
            throw DomainException.forbidden("the service account has no role on this project that may read data "
                    + "(analyst, admin or owner)");
        }
        return projects.byId(projectId).orElseThrow(() -> DomainException.forbidden("the service account has no role on this project"));
    }

    private static long projectId(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw DomainException.invalidInput("project_id must be a number");
        }
    }
}
