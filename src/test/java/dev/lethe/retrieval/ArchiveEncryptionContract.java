package dev.lethe.retrieval;

import dev.lethe.project.ArchiveSettings;
import dev.lethe.project.ProjectStore;
import dev.lethe.task.Task;
import dev.lethe.testing.ArchiveContents;
import dev.lethe.testing.PythonZipfile;
import dev.lethe.testing.Seed;
import dev.lethe.testing.StoreFixture;
import dev.lethe.testing.TaskRows;
import dev.lethe.testing.TestServer;
import net.lingala.zip4j.exception.ZipException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipFile;

import static dev.lethe.retrieval.RetrievalFixture.json;
import static dev.lethe.retrieval.RetrievalFixture.lines;
import static dev.lethe.testing.EventBuilder.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Archives are AES-256 encrypted with the project's api_secret when configured, and readable either way with it. */
abstract class ArchiveEncryptionContract {

    abstract StoreFixture store();

    @TempDir
    Path tmp;
    TestServer server;
    ProjectStore.Created created;

    @AfterEach
    void stop() {
        server.close();
    }

    private Task retrieveAlice(boolean encrypt) {
        return retrieveAlice(encrypt ? ArchiveEncryption.AES_256 : ArchiveEncryption.NONE, null);
    }

    /** A retrieval of alice on an instance with this encryption, her project having {@code settings} of its own (or null). */
    private Task retrieveAlice(ArchiveEncryption instance, ArchiveSettings settings) {
        server = TestServer.start(store(), tmp, b -> b.archiveEncryption(instance).archivePassword(ArchivePassword.API_SECRET));
        created = server.createProject("acme");
        long project = created.project().id();
        if (settings != null) {
            server.app.projects().setArchiveSettings(project, settings);
        }
        new Seed(server.app, project).events(event("alice").prop("plan", "pro")).profile("alice", "$email", "a@example.com");
        return new RetrievalFixture(server).run(TaskRows.retrieval(project, "alice"));
    }

    @Test
    void an_encrypted_archive_opens_only_with_the_api_secret() {
        Task task = retrieveAlice(true);
        RetrievalFixture retrievals = new RetrievalFixture(server);

        assertThat(ArchiveContents.encrypted(retrievals.archive(task))).isTrue();
        assertThatThrownBy(() -> retrievals.contents(task, "not-the-secret")).hasCauseInstanceOf(ZipException.class);
        Map<String, byte[]> files = retrievals.contents(task, created.apiSecret());
        assertThat(lines(files.get("events.jsonl"))).hasSize(1);
        assertThat(json(files.get("manifest.json")).get("encrypted").asBoolean()).isTrue();
    }

    @Test
    void an_unencrypted_archive_opens_with_or_without_the_password() throws Exception {
        Task task = retrieveAlice(false);
        RetrievalFixture retrievals = new RetrievalFixture(server);

        assertThat(ArchiveContents.encrypted(retrievals.archive(task))).isFalse();
        Map<String, byte[]> plain = retrievals.contents(task, null);
        Map<String, byte[]> withPassword = retrievals.contents(task, created.apiSecret());
        assertThat(withPassword.keySet()).isEqualTo(plain.keySet());
        assertThat(withPassword.get("events.jsonl")).isEqualTo(plain.get("events.jsonl"));
        try (ZipFile standard = new ZipFile(retrievals.archive(task).toFile())) {
            assertThat(standard.getInputStream(standard.getEntry("events.jsonl")).readAllBytes()).isEqualTo(plain.get("events.jsonl"));
        }
    }

    @Test
    void a_zipcrypto_archive_opens_with_pythons_standard_zipfile_and_the_api_secret() throws Exception {
        Task task = retrieveAlice(ArchiveEncryption.ZIP_CRYPTO, null);
        RetrievalFixture retrievals = new RetrievalFixture(server);
        Path archive = retrievals.archive(task);

        assertThat(ArchiveContents.encrypted(archive)).isTrue();
        assertThat(lines(retrievals.contents(task, created.apiSecret()).get("events.jsonl"))).hasSize(1);
        // why: ZipCrypto's one check byte lets a wrong password through 1 time in 256; zip4j then fails on the
        // garbage (inflate error or CRC mismatch), still as a ZipException but with another root cause.
        assertThatThrownBy(() -> retrievals.contents(task, "not-the-secret")).hasCauseInstanceOf(ZipException.class);
        assertThat(json(retrievals.contents(task, created.apiSecret()).get("manifest.json")).get("encryption").asText())
                .isEqualTo("zipcrypto");
        PythonZipfile.Result opened = PythonZipfile.read(archive, "events.jsonl", created.apiSecret());
        assertThat(opened.exitCode()).as(opened.output()).isZero();
        assertThat(opened.output()).contains("\"distinct_id\":\"alice\"");
        assertThat(PythonZipfile.read(archive, "events.jsonl", "not-the-secret").exitCode()).isNotZero();
    }

    @Test
    void a_projects_own_archive_encryption_overrides_the_instances_and_follow_returns_to_it() {
        Task task = retrieveAlice(ArchiveEncryption.NONE, new ArchiveSettings("zipcrypto", "api-secret"));
        RetrievalFixture retrievals = new RetrievalFixture(server);
        assertThat(ArchiveContents.encrypted(retrievals.archive(task))).isTrue();
        assertThat(lines(retrievals.contents(task, created.apiSecret()).get("events.jsonl"))).hasSize(1);

        long project = created.project().id();
        server.app.projects().setArchiveSettings(project, new ArchiveSettings(null, null));
        assertThat(server.app.projects().archiveSettings(project)).isEmpty();
        Task again = retrievals.run(TaskRows.retrieval(project, "alice", "again"));
        assertThat(ArchiveContents.encrypted(retrievals.archive(again))).as("back to the instance's plain archives").isFalse();
    }
}
