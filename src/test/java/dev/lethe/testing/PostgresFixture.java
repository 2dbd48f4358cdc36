package dev.lethe.testing;

import dev.lethe.store.Database;
import dev.lethe.store.PrivateFiles;
import dev.lethe.store.StoreConfig;
import dev.lethe.store.StoreKind;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A fresh PostgreSQL database per store, on the server of {@code LETHE_TEST_PG_URL} (user
 * {@code LETHE_TEST_PG_USER}, password {@code LETHE_TEST_PG_PASSWORD}). When the server is
 * unreachable the test is skipped, except under {@code CI=true}, where it fails. The databases
 * are dropped when the test JVM exits.
 *
 * <p>Stores get a pool of {@link #POOL_SIZE} connections, SQLite's size, instead of the 16 a
 * production server opens: each test starts its own pool, and suites running in parallel forks
 * (and other suites) share the server's connection limit.
 */
public final class PostgresFixture implements StoreFixture {

    private static final String URL = env("LETHE_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
    private static final String USER = env("LETHE_TEST_PG_USER", "postgres");
    private static final String PASSWORD = env("LETHE_TEST_PG_PASSWORD", "postgres");

    static final int POOL_SIZE = StoreConfig.SQLITE_POOL_SIZE;

    static {
        SaltedPasswords.install();
    }

    private static final List<String> created = new CopyOnWriteArrayList<>();
    /** A database migrated once per JVM; each test's database is a copy of it. Never in {@link #created}. */
    private static String template;
    /** The instance key the template's keystore is wrapped with; each test's data directory gets a copy. */
    private static Path templateKey;
    /** The template's data directory, which holds that key; deleted on exit with the template. */
    private static volatile Path templateDir;
    private static volatile String unreachable;
    /** Guarded by the class: see {@link #admin()}. */
    private static Connection admin;
    private static volatile boolean hookInstalled;

    @Override
    public StoreConfig newStore(Path tempDir) {
        String name = "lethe_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        createDatabase(name);
        created.add(name);
        Path dataDir = tempDir.resolve("data");
        try {
            PrivateFiles.createFolders(dataDir);
            PrivateFiles.createFile(dataDir.resolve("lethe.key"));
            Files.write(dataDir.resolve("lethe.key"), Files.readAllBytes(templateKey));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the template's instance key into " + dataDir, e);
        }
        return new StoreConfig(StoreKind.POSTGRES, dataDir, urlOf(name), USER, PASSWORD)
                .withMaxPoolSize(POOL_SIZE);
    }

    /** Synchronized: the JVM's tests share one admin connection. */
    private static synchronized void createDatabase(String name) {
        try {
            Connection c = admin();
            dropUnused(c);
            String source = template(c);
            try (Statement s = c.createStatement()) {
                // why: CREATE DATABASE takes no parameters; both names are made here from hex digits only.
                s.execute("CREATE DATABASE " + name + " TEMPLATE " + source + copyStrategy(c));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + " on " + URL, e);
        }
    }

    /**
     * The migrated template, made on first use. Copying it is a file copy; running the
     * migrations for every test took most of a PostgreSQL test's time. Its name is this JVM's
     * own, so suites running side by side on one server never copy a template another is migrating.
     */
    private static synchronized String template(Connection admin) throws SQLException {
        if (template != null) {
            return template;
        }
        String name = "lethe_tpl_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Statement s = admin.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        Path dataDir;
        try {
            dataDir = Files.createTempDirectory("lethe-pg-template");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // why: opening a store migrates it; closing the pool leaves no session on the template,
        // which CREATE DATABASE ... TEMPLATE requires.
        try (Database db = Database.open(new StoreConfig(StoreKind.POSTGRES, dataDir, urlOf(name), USER, PASSWORD))) {
            // why: opening makes the store, the keystore (schema lethe_keys) and the instance key that wraps its keys
        }
        templateDir = dataDir;
        templateKey = dataDir.resolve("lethe.key");
        template = name;
        return name;
    }

    /**
     * Copies the template's files as they are instead of writing every block of it to the WAL (PostgreSQL 15's
     * default): ~90 ms less per test database on a server with fsync off, where the checkpoint FILE_COPY takes first
     * costs little. Servers before 15 know only the file copy, and no STRATEGY clause.
     */
    private static String copyStrategy(Connection admin) throws SQLException {
        return admin.getMetaData().getDatabaseMajorVersion() >= 15 ? " STRATEGY FILE_COPY" : "";
    }

    /**
     * This JVM's connection to the server's maintenance database, opened on first use and kept (or the test is
     * skipped, failed in CI). Kept because opening one costs ~20 ms of this JVM's CPU (the SCRAM handshake's 4096
     * hash rounds, without the C2 compiler's SHA instructions), as much as copying the template.
     */
    private static Connection admin() throws SQLException {
        if (unreachable != null) {
            abortOrFail(unreachable);
        }
        if (admin != null && admin.isValid(5)) {
            return admin;
        }
        Properties props = new Properties();
        props.setProperty("user", USER);
        props.setProperty("password", PASSWORD);
        props.setProperty("connectTimeout", "5");
        props.setProperty("loginTimeout", "10");
        try {
            admin = DriverManager.getConnection(URL, props);
            installDropHook();
            return admin;
        } catch (SQLException e) {
            unreachable = "PostgreSQL is not reachable at " + URL + " as " + USER + " (" + e.getMessage()
                    + "); start it with `bash .ci/postgres.sh` or set LETHE_TEST_PG_URL / LETHE_TEST_PG_USER / LETHE_TEST_PG_PASSWORD";
            abortOrFail(unreachable);
            throw new AssertionError("unreachable");
        }
    }

    private static void abortOrFail(String message) {
        if ("true".equals(System.getenv("CI"))) {
            throw new IllegalStateException(message + " [CI=true: PostgreSQL tests must not be skipped]");
        }
        Assumptions.abort(message);
    }

    private static synchronized void installDropHook() {
        if (hookInstalled) {
            return;
        }
        hookInstalled = true;
        Runtime.getRuntime().addShutdownHook(new Thread(PostgresFixture::dropAll, "drop-test-databases"));
    }

    /**
     * Drops the databases of earlier tests that nobody is connected to any more (their store
     * was closed), so a long run does not pile them up for the exit hook.
     */
    private static void dropUnused(Connection c) throws SQLException {
        if (created.isEmpty()) {
            return;
        }
        List<String> unused = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT d.datname FROM pg_database d WHERE d.datname = ANY (?) "
                + "AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datid = d.oid)")) {
            ps.setArray(1, c.createArrayOf("text", created.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    unused.add(rs.getString(1));
                }
            }
        }
        for (String name : unused) {
            drop(c, name, "");
        }
    }

    private static void drop(Connection c, String name, String options) {
        try (Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + options);
            created.remove(name);
        } catch (SQLException e) {
            // why: a store still open (a pool reconnecting) keeps it; the exit hook tries again.
            System.err.println("could not drop test database " + name + ": " + e.getMessage());
        }
    }

    private static void dropAll() {
        Properties props = new Properties();
        props.setProperty("user", USER);
        props.setProperty("password", PASSWORD);
        try (Connection c = DriverManager.getConnection(URL, props)) {
            for (String name : created) {
                // why: a pool the test did not close would otherwise keep the database alive.
                drop(c, name, " WITH (FORCE)");
            }
            if (template != null) {
                drop(c, template, " WITH (FORCE)");
            }
        } catch (SQLException e) {
            System.err.println("could not drop test databases " + created + ": " + e.getMessage());
        }
        try {
            // why: it holds the instance key that wraps the template's keystore, copied into every test's store
            TempDirs.deleteTree(templateDir);
        } catch (UncheckedIOException e) {
            System.err.println("could not delete " + templateDir + ": " + e.getMessage());
        }
    }

    /** The URL of the server with the database part replaced by {@code database}. */
    static String urlOf(String database) {
        String prefix = "jdbc:postgresql://";
        if (!URL.toLowerCase(Locale.ROOT).startsWith(prefix)) {
            throw new IllegalStateException("LETHE_TEST_PG_URL must start with " + prefix + ": " + URL);
        }
        int slash = URL.indexOf('/', prefix.length());
        int query = URL.indexOf('?', prefix.length());
        String hosts = URL.substring(0, slash >= 0 ? slash : query >= 0 ? query : URL.length());
        String params = query >= 0 ? URL.substring(query) : "";
        return hosts + "/" + database + params;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
