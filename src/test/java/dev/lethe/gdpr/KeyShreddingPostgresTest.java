package dev.lethe.gdpr;

import dev.lethe.store.StoreConfig;
import dev.lethe.testing.StoreFixture;
import dev.lethe.testing.StorePages;

import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The keystore in a database of its own (as docs/erasure.md advises), so the main store's backup is a plain
 * {@code pg_dump} of its database, restored with {@code pg_restore --clean}. The store's pages are read with
 * pageinspect, dead tuples included.
 */
class KeyShreddingPostgresTest extends KeyShreddingContract {

    @Override
    StoreFixture store() {
        StoreFixture postgres = StoreFixture.postgres();
        return dir -> {
            StoreConfig main = postgres.newStore(dir);
            // why: the fixture drops its databases that nobody is connected to when it makes the next one
            try (Connection hold = DriverManager.getConnection(main.jdbcUrl(), main.dbUser(), main.dbPassword())) {
                StoreConfig keys = postgres.newStore(dir.resolve("keystore"));
                return main.withKeystoreUrl(keys.jdbcUrl());
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    @Override
    boolean storeHolds(String text) {
        return StorePages.postgresTuplesHold(server.app.db(), text);
    }

    private List<String> connection(String tool) {
        StoreConfig store = server.app.config().store();
        URI uri = URI.create(store.jdbcUrl().substring("jdbc:".length()));
        List<String> cmd = new ArrayList<>(List.of(tool, "-h", uri.getHost(), "-p", Integer.toString(uri.getPort()),
                "-U", store.dbUser(), "-d", uri.getPath().substring(1)));
        return cmd;
    }

    private void run(List<String> command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("PGPASSWORD", server.app.config().store().dbPassword());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
    }

    @Override
    Object backUp() throws Exception {
        Path dump = tmp.resolve("main.dump");
        List<String> cmd = connection("pg_dump");
        cmd.addAll(List.of("-Fc", "-f", dump.toString()));
        run(cmd);
        return dump;
    }

    @Override
    void restore(Object backup) throws Exception {
        List<String> cmd = connection("pg_restore");
        cmd.addAll(List.of("--clean", "--if-exists", "--single-transaction", backup.toString()));
        run(cmd);
    }
}
