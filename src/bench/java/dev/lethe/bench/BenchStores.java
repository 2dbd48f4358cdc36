package dev.lethe.bench;

import dev.lethe.store.Database;
import dev.lethe.store.StoreConfig;
import dev.lethe.store.StoreKind;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Fresh, throw-away stores for one benchmark run: a data directory per store under the work
 * directory, and on PostgreSQL a database per store created on the server the maintenance URL
 * points at. Everything made here is removed by {@link #dropAll} unless kept.
 */
final class BenchStores {

    /** Only names this class makes; a database name cannot be a bound parameter. */
    private static final Pattern SAFE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    private static final Pattern URL = Pattern.compile("(jdbc:postgresql://[^/]+/)([^?]*)(.*)");

    private final StoreConfig base;
    private final Path workDir;
    private final String runId;
    private final List<String> databases = new ArrayList<>();

    BenchStores(StoreConfig base, Path workDir, String runId) {
        this.base = base;
        this.workDir = workDir;
        this.runId = runId;
    }

    StoreKind kind() {
        return base.kind();
    }

    /** A new empty store called {@code name}. */
    StoreConfig create(String name) {
        Path dir = workDir.resolve(name);
        if (base.kind() == StoreKind.SQLITE) {
            return StoreConfig.sqlite(dir);
        }
        String db = dbName(name);
        maintenance("CREATE DATABASE " + db);
        databases.add(db);
        return new StoreConfig(StoreKind.POSTGRES, dir, urlFor(db), base.dbUser(), base.dbPassword());
    }

    /** An identical copy of a store no connection holds (SQLite: closed and checkpointed). */
    StoreConfig copy(StoreConfig original, String name) {
        Path dir = workDir.resolve(name);
        try {
            Files.createDirectories(dir);
            // why: the index keys are keyed hashes; the copy must hash ids with the same instance key
            for (String file : List.of("lethe.db", "lethe.db-wal", "lethe.key")) {
                Path from = original.dataDir().resolve(file);
                if (Files.exists(from)) {
                    Files.copy(from, dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (base.kind() == StoreKind.SQLITE) {
            return StoreConfig.sqlite(dir);
        }
        String db = dbName(name);
        maintenance("CREATE DATABASE " + db + " TEMPLATE " + dbName(original.dataDir().getFileName().toString()));
        databases.add(db);
        return new StoreConfig(StoreKind.POSTGRES, dir, urlFor(db), base.dbUser(), base.dbPassword());
    }

    /**
     * What a store takes on disk: SQLite's files in its data directory (the store, its WAL, the keystore), or the
     * PostgreSQL database (its keystore schema included). The size the write-stall figures are reported against.
     */
    static long bytesOnDisk(StoreConfig store, Database db) {
        if (store.kind() == StoreKind.SQLITE) {
            try (Stream<Path> files = Files.list(store.dataDir())) {
                long total = 0;
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    total += Files.size(file);
                }
                return total;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return db.withConnection(tx -> {
            try (var ps = tx.prepareStatement("SELECT pg_database_size(current_database())");
                 var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** Drops the databases and deletes the work directory. */
    void dropAll() {
        for (String db : databases) {
            maintenance("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
        }
        databases.clear();
        if (Files.exists(workDir)) {
            try (Stream<Path> all = Files.walk(workDir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + workDir, e);
            }
        }
    }

    private String dbName(String name) {
        String db = ("lethe_bench_" + runId + "_" + name).toLowerCase().replace('-', '_');
        if (!SAFE_NAME.matcher(db).matches()) {
            throw new IllegalArgumentException("unusable database name " + db);
        }
        return db;
    }

    private String urlFor(String db) {
        Matcher m = URL.matcher(base.jdbcUrl());
        if (!m.matches()) {
            throw new IllegalArgumentException("--jdbc-url must look like jdbc:postgresql://host:port/maintenance-db");
        }
        return m.group(1) + db + m.group(3);
    }

    private void maintenance(String ddl) {
        try (Connection c = DriverManager.getConnection(base.jdbcUrl(), base.dbUser(), base.dbPassword());
             Statement s = c.createStatement()) {
            s.execute(ddl);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL: " + ddl + ": " + e.getMessage(), e);
        }
    }
}
