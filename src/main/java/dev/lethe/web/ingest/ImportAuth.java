package dev.lethe.web.ingest;

import dev.lethe.ingest.Credential;
import dev.lethe.ingest.ProjectTokens;
import dev.lethe.auth.BasicCredentials;
import dev.lethe.auth.Role;
import dev.lethe.auth.ServiceAccountStore;
import dev.lethe.domain.DomainException;
import dev.lethe.project.Project;
import dev.lethe.project.ProjectStore;
import io.javalin.http.Context;

import java.util.Optional;

/**
 * Who may {@code /import}: HTTP Basic with the project's {@code api_secret} or its token as the
 * user (password empty), a service account (username and secret) naming {@code ?project_id=},
 * or the legacy {@code ?api_key=} holding the {@code api_secret}.
 */
public final class ImportAuth {

    private final ServiceAccountStore serviceAccounts;
    private final ProjectStore projects;
    private final ProjectTokens tokens;

    public ImportAuth(ServiceAccountStore serviceAccounts, ProjectStore projects, ProjectTokens tokens) {
        this.serviceAccounts = serviceAccounts;
        this.projects = projects;
        this.tokens = tokens;
    }

    /**
     * Whether the header and the query string alone settle who is calling, so the body need not be
     * read first: anything but a service account whose {@code project_id} may still come in a form body.
     */
    boolean decidableFromQuery(Context ctx, IngestRequest query) {
        String header = ctx.header("Authorization");
        if (header == null) {
            return query.param("api_key") != null;
        }
        String[] basic = basic(header);
        return basic[1].isEmpty() || query.param("project_id") != null;
    }

    /** The project, and whether it was named by a secret (api_secret, service account) or by its public token. */
    record Caller(Project project, Credential credential) {
    }

    Caller authenticate(Context ctx, IngestRequest request) {
        String[] basic = basic(ctx.header("Authorization"));
        String apiKey = request.param("api_key");
        if (basic == null && apiKey == null) {
            throw DomainException.unauthenticated("/import needs HTTP Basic auth with the project's api_secret, or a service account");
        }
        Long projectId = projectId(request.param("project_id"));
        Project project;
        Credential credential = Credential.SECRET;
        if (basic != null && !basic[1].isEmpty() && projectId != null) {
            project = serviceAccountProject(basic[0], basic[1], projectId);
        } else if (basic != null) {
            Optional<Project> bySecret = projects.byApiSecret(basic[0]);
            if (bySecret.isEmpty()) {
                credential = Credential.PROJECT_TOKEN;
            }
            project = bySecret.or(() -> tokens.byToken(basic[0]))
                    .orElseThrow(() -> DomainException.unauthenticated("unknown api_secret or project token"));
        } else {
            project = projects.byApiSecret(apiKey)
                    .orElseThrow(() -> DomainException.unauthenticated("unknown api_key"));
        }
        if (projectId != null && projectId != project.id()) {
            throw DomainException.forbidden("these credentials are not valid for project_id " + projectId);
        }
        return new Caller(tokens.inRegion(project), credential);
    }

    /** The {@code project_id} parameter, or null; a value that is not a number is a 400, as on the read APIs. */
    private static Long projectId(String param) {
        if (param == null) {
            return null;
        }
        try {
            return Long.parseLong(param.trim());
        } catch (NumberFormatException e) {
            throw DomainException.invalidInput("project_id must be a number");
        }
    }

    private static String[] basic(String header) {
        if (header == null) {
            return null;
        }
        BasicCredentials credentials = BasicCredentials.parse(header);
        return new String[] {credentials.user(), credentials.password()};
    }

    private Project serviceAccountProject(String username, String secret, long projectId) {
        ServiceAccountStore.Account account = serviceAccounts.authenticate(username, secret)
                .orElseThrow(() -> DomainException.unauthenticated("unknown or revoked service account"));
        Optional<Role> role = serviceAccounts.role(account.id(), projectId);
        // why: consumer is the read-only role; writing events is beyond it.
        if (role.isEmpty() || role.get() == Role.CONSUMER) {
            throw DomainException.forbidden("the service account has no role on this project that may import");
        }
        return projects.byId(projectId).orElseThrow(() -> DomainException.forbidden("the service account has no role on this project"));
    }
}
