package dev.lethe.project;

/** A project as the application sees it; the api_secret itself is never held here. */
public record Project(long id, String name, String token, Region region, long createdAt) {
}
