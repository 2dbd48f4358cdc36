package dev.lethe.ingest;

import dev.lethe.domain.DomainException;
import dev.lethe.project.Project;
import dev.lethe.project.ProjectStore;
import dev.lethe.project.Region;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the project of an SDK token ({@code properties.token}, {@code $token}). An unknown token
 * is a 401; a project of another region a 403 naming the region to send it to.
 */
public final class ProjectTokens {

    private final ProjectStore projects;
    private final Region region;

    public ProjectTokens(ProjectStore projects, Region region) {
        this.projects = projects;
        this.region = region;
    }

    /** A lookup that remembers the tokens of one request, since a batch repeats the same token. */
    public Lookup lookup() {
        Map<String, Project> seen = new HashMap<>();
        return token -> seen.computeIfAbsent(token, this::resolve);
    }

    /** Resolves one token; throws the 4xx for a missing, unknown or foreign one. */
    @FunctionalInterface
    public interface Lookup {
        Project project(String token);
    }

    private Project resolve(String token) {
        Project project = projects.byToken(token).orElseThrow(() -> DomainException.unauthenticated("unknown project token"));
        return inRegion(project);
    }

    /** The project, if this instance serves its region. */
    public Project inRegion(Project project) {
        return region.admit(project);
    }

    public Optional<Project> byToken(String token) {
        return projects.byToken(token);
    }
}
