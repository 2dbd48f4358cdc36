package dev.lethe.cli;

import dev.lethe.store.StoreConfig;
import dev.lethe.store.StoreKind;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The options that say which store a command works on; shared by serve, admin, load and bench. */
public final class StoreOptions {

    @Option(names = "--data-dir", defaultValue = "${env:LETHE_DATA_DIR:-./lethe-data}",
            description = "Data directory: embedded store, instance key, archives (default: ${DEFAULT-VALUE}; env LETHE_DATA_DIR)")
    Path dataDir;

    @Option(names = "--store", defaultValue = "${env:LETHE_STORE:-sqlite}",
            description = "sqlite (embedded, default) or postgres (env LETHE_STORE)")
    String store;

    @Option(names = "--jdbc-url", defaultValue = "${env:LETHE_JDBC_URL}",
            description = "PostgreSQL JDBC URL, e.g. jdbc:postgresql://localhost:5432/lethe (env LETHE_JDBC_URL)")
    String jdbcUrl;

    @Option(names = "--db-user", defaultValue = "${env:LETHE_DB_USER}", description = "PostgreSQL user (env LETHE_DB_USER)")
    String dbUser;

    @Option(names = "--db-password", defaultValue = "${env:LETHE_DB_PASSWORD}",
            description = "PostgreSQL password (env LETHE_DB_PASSWORD)")
    String dbPassword;

    @Option(names = "--keystore-jdbc-url", defaultValue = "${env:LETHE_KEYSTORE_JDBC_URL}",
            description = "PostgreSQL: the database of the keystore (the persons' data keys; docs/erasure.md), same user; "
                    + "default: the store's own database (env LETHE_KEYSTORE_JDBC_URL)")
    String keystoreJdbcUrl;

    public StoreConfig toConfig() {
        return new StoreConfig(StoreKind.parse(store), dataDir, jdbcUrl, dbUser, dbPassword).withKeystoreUrl(keystoreJdbcUrl);
    }
}
