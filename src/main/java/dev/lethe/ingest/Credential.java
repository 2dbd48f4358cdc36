package dev.lethe.ingest;

/**
 * What a batch was sent with, which decides the identity links it may make (docs/identity.md):
 * the project token is public (it is in every web page that uses the SDK), the api_secret, a
 * service account and the operator's own {@code lethe load} are not.
 */
public enum Credential {
    /** {@code /track}, {@code /engage}, or {@code /import} with the project token as Basic user. */
    PROJECT_TOKEN,
    /** {@code /import} with the api_secret or a service account, and {@code lethe load}. */
    SECRET
}
