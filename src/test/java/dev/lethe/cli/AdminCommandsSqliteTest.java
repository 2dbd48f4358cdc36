package dev.lethe.cli;

import dev.lethe.crypto.Secrets;
import dev.lethe.testing.StoreFixture;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class AdminCommandsSqliteTest extends AdminCommandsContract {

    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }

    @Test
    void the_database_files_hold_hashes_never_the_secrets_shown() throws IOException {
        String apiSecret = cli.ok("project", "create", "--name", "Shop").get("api_secret").asText();
        cli.ok("user", "create", "--email", "dpo@example.com");
        String token = cli.ok("token", "issue", "--email", "dpo@example.com").get("token").asText();
        String saSecret = cli.ok("service-account", "create", "--name", "ci", "--project", "1", "--role", "admin")
                .get("secret").asText();

        String files = databaseFiles();

        // why: finding the hashes proves we read the files the secrets would have gone to.
        assertThat(files).contains(Secrets.sha256Hex(token), Secrets.sha256Hex(apiSecret), Secrets.sha256Hex(saSecret));
        assertThat(files).doesNotContain(token).doesNotContain(apiSecret).doesNotContain(saSecret);
    }

    /** lethe.db and any -wal/-journal beside it, as one Latin-1 string (bytes kept 1:1). */
    private String databaseFiles() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        List<Path> files;
        try (Stream<Path> listing = Files.list(config.dataDir())) {
            files = listing.filter(p -> p.getFileName().toString().startsWith("lethe.db")).toList();
        }
        assertThat(files).contains(config.sqliteFile());
        for (Path f : files) {
            all.write(Files.readAllBytes(f));
        }
        return all.toString(StandardCharsets.ISO_8859_1);
    }
}
