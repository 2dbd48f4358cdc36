package dev.lethe.ingest;

import dev.lethe.auth.Secrets;
import dev.lethe.http.ApiException;
import dev.lethe.project.Project;
import dev.lethe.project.ProjectStore;
import dev.lethe.store.Database;
import io.javalin.http.Context;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.Optional;

/**
 * Who may {@code /import}: HTTP Basic with the project's {@code api_secret} or its token as the
 * user (password empty), a service account (username and secret) naming {@code ?project_id=},
 * or the legacy {@code ?api_key=} holding the {@code api_secret}.
 */
public final class ImportAuth {

    private final Database db;
    private final ProjectStore projects;
    private final ProjectTokens tokens;

    public ImportAuth(Database db, ProjectStore projects, ProjectTokens tokens) {
        this.db = db;
        this.projects = projects;
        this.tokens = tokens;
    }

    Project authenticate(Context ctx, IngestRequest request) {
        String projectId = request.param("project_id");
        String[] basic = basic(ctx.header("Authorization"));
        Project project;
        if (basic != null && !basic[1].isEmpty() && projectId != null) {
            project = serviceAccountProject(basic[0], basic[1], projectId);
        } else if (basic != null) {
            project = projects.byApiSecret(basic[0]).or(() -> tokens.byToken(basic[0]))
                    .orElseThrow(() -> ApiException.unauthorized("unknown api_secret or project token"));
        } else if (request.param("api_key") != null) {
            project = projects.byApiSecret(request.param("api_key"))
                    .orElseThrow(() -> ApiException.unauthorized("unknown api_key"));
        } else {
            throw ApiException.unauthorized("/import needs HTTP Basic auth with the project's api_secret, or a service account");
        }
        if (projectId != null && !projectId.equals(Long.toString(project.id()))) {
            throw ApiException.forbidden("these credentials are not valid for project_id " + projectId);
        }
        return tokens.inRegion(project);
    }

    private static String[] basic(String header) {
        if (header == null) {
            return null;
        }
        if (!header.regionMatches(true, 0, "Basic ", 0, 6)) {
            throw ApiException.unauthorized("Authorization must be HTTP Basic");
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.unauthorized("malformed HTTP Basic credentials");
        }
        int colon = decoded.indexOf(':');
        String user = colon < 0 ? decoded : decoded.substring(0, colon);
        if (user.isEmpty()) {
            throw ApiException.unauthorized("malformed HTTP Basic credentials");
        }
        return new String[] {user, colon < 0 ? "" : decoded.substring(colon + 1)};
    }

    private Project serviceAccountProject(String username, String secret, String projectIdParam) {
        long projectId;
        try {
            projectId = Long.parseLong(projectIdParam);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("project_id must be a number");
        }
        Optional<String> role = db.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT a.secret_hash, a.revoked_at, r.role FROM service_accounts a "
                            + "LEFT JOIN service_account_roles r ON r.service_account_id = a.id AND r.project_id = ? "
                            + "WHERE a.username = ?")) {
                ps.setLong(1, projectId);
                ps.setString(2, username);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || !Secrets.constantTimeEquals(rs.getString(1), Secrets.sha256Hex(secret))
                            || rs.getObject(2) != null) {
                        throw ApiException.unauthorized("unknown or revoked service account");
                    }
                    return Optional.ofNullable(rs.getString(3));
                }
            }
        });
        // why: consumer is the read-only role; writing events is beyond it.
        if (role.isEmpty() || role.get().equals("consumer")) {
            throw ApiException.forbidden("the service account has no role on this project that may import");
        }
        return projects.byId(projectId).orElseThrow(() -> ApiException.forbidden("the service account has no role on this project"));
    }
}
