package dev.lethe.project;

/**
 * A project's own choice of how its retrieval archives are protected, overriding the instance's; each part
 * is null where the project follows the instance. Kept as the names the CLI accepts
 * ({@code none|aes-256|zipcrypto}, {@code per-archive|api-secret}), parsed where archives are written.
 */
public record ArchiveSettings(String encryption, String password) {
}
