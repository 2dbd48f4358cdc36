package dev.lethe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.auth.ConsoleAuth;
import dev.lethe.audit.AuditLog;
import dev.lethe.audit.Origin;
import dev.lethe.crypto.InstanceKey;
import dev.lethe.domain.DomainException;
import dev.lethe.json.Json;
import dev.lethe.store.Database;
import dev.lethe.store.StoreConfig;
import dev.lethe.testing.StoreFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code lethe admin user set-password}, {@code user create --password-stdin} and {@code lethe admin audit}. */
class ConsoleAdminCommandsSqliteTest {

    @TempDir
    Path tmp;
    StoreConfig config;
    AdminCli cli;
    InputStream stdin;

    @BeforeEach
    void open() {
        config = StoreFixture.sqlite().newStore(tmp);
        cli = new AdminCli(config);
        stdin = System.in;
    }

    @AfterEach
    void restore() {
        System.setIn(stdin);
    }

    @Test
    void set_password_reads_standard_input_never_prints_it_and_the_password_signs_in() {
        cli.ok("user", "create", "--email", "dpo@example.com");
        System.setIn(new ByteArrayInputStream("a long enough secret phrase\n".getBytes(StandardCharsets.UTF_8)));
        AdminCli.Result result = cli.run("user", "set-password", "--email", "dpo@example.com");
        assertThat(result.json().get("console_password").asBoolean()).isTrue();
        assertThat(result.out() + result.err()).doesNotContain("secret phrase");
        try (Database db = Database.open(config)) {
            ConsoleAuth auth = consoleAuth(db);
            assertThat(auth.signIn("dpo@example.com", "a long enough secret phrase", "127.0.0.1").token()).startsWith("lcs_");
            assertThatThrownBy(() -> auth.signIn("dpo@example.com", "a long enough secret phrasE", "127.0.0.1"))
                    .isInstanceOf(DomainException.class).hasMessage("wrong email or password");
            // only an Argon2id hash is stored
            String stored = db.withConnection(c -> {
                try (var ps = c.prepareStatement("SELECT hash FROM user_passwords"); var rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            });
            assertThat(stored).startsWith("$argon2id$").doesNotContain("secret");
        }
    }

    @Test
    void create_with_a_short_password_creates_no_user() {
        System.setIn(new ByteArrayInputStream("short\n".getBytes(StandardCharsets.UTF_8)));
        AdminCli.Result result = cli.run("user", "create", "--email", "dpo@example.com", "--password-stdin");
        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).contains("at least 12 characters").doesNotContain("short");
        assertThat(cli.run("user", "set-password", "--email", "dpo@example.com").err()).contains("no user with email");
    }

    @Test
    void audit_prints_json_lines_and_finds_an_id_by_its_keyed_hash() {
        try (Database db = Database.open(config)) {
            AuditLog audit = new AuditLog(db, InstanceKey.loadOrCreate(config.dataDir()), Clock.systemUTC());
            audit.record(new AuditLog.Event(1L, "create", "DELETION", "t1", "a@example.com", "user", Origin.api("10.0.0.1"),
                    "created", List.of("frank")));
            audit.record(new AuditLog.Event(1L, "create", "RETRIEVAL", "t2", "a@example.com", "user", Origin.console("10.0.0.2"),
                    "created", List.of("gina")));
        }
        AdminCli.Result all = cli.run("audit");
        assertThat(all.exit()).isZero();
        List<JsonNode> lines = all.out().lines().map(Json::readTrusted).toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).get("tracking_id").asText()).isEqualTo("t1");
        assertThat(lines.get(0).get("ip").asText()).isEqualTo("10.0.0.1");
        assertThat(all.out()).doesNotContain("frank", "gina");
        AdminCli.Result gina = cli.run("audit", "--project", "1", "--distinct-id", "gina");
        assertThat(gina.out().lines().toList()).singleElement().asString().contains("\"t2\"");
    }

    private static ConsoleAuth consoleAuth(Database db) {
        var users = new dev.lethe.auth.UserStore(db, Clock.systemUTC(), dev.lethe.auth.CredentialChanges.inThisProcess());
        return new ConsoleAuth(db, users, new dev.lethe.auth.PasswordStore(db, Clock.systemUTC(), new dev.lethe.auth.Passwords(dev.lethe.auth.Passwords.Cost.OWASP_MINIMUM)),
                new dev.lethe.auth.SessionStore(db, Clock.systemUTC(), java.time.Duration.ofMinutes(30), java.time.Duration.ofHours(12)),
                dev.lethe.auth.SignInThrottle.standard(Clock.systemUTC()));
    }
}
