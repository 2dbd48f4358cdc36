package dev.lethe.retrieval;

import dev.lethe.task.Task;
import dev.lethe.testing.RecordingTaskRun;
import dev.lethe.testing.Seed;
import dev.lethe.testing.StoreFixture;
import dev.lethe.testing.TaskRows;
import dev.lethe.testing.TestHttp;
import dev.lethe.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Duration;

import static dev.lethe.testing.EventBuilder.event;
import static org.assertj.core.api.Assertions.assertThat;

/** Signed, expiring download links served over real HTTP. */
abstract class DownloadLinkContract {

    abstract StoreFixture store();

    @TempDir
    Path tmp;
    TestServer server;
    RetrievalFixture retrievals;
    long project;
    Task task;
    String link;
    private final HttpClient http = TestHttp.client();

    @BeforeEach
    void start() {
        server = TestServer.start(store(), tmp);
        retrievals = new RetrievalFixture(server);
        project = server.createProject("acme").project().id();
        new Seed(server.app, project).events(event("alice"), event("bob")).profile("alice", "$email", "alice@example.com");
        task = retrievals.run(TaskRows.retrieval(project, "alice"));
        link = server.app.downloadLinks().apply(task);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** The link as handed out names localhost; the test server listens on 127.0.0.1. */
    HttpResponse<byte[]> get(String url) throws IOException, InterruptedException {
        String local = url.replace("http://localhost:" + server.app.port(), server.baseUrl());
        // why: browsers ask for gzip; the archive must arrive as the exact bytes on disk.
        return http.send(TestHttp.closing(HttpRequest.newBuilder(URI.create(local))).header("Accept-Encoding", "gzip, br")
                        .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static String body(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    void a_valid_link_downloads_the_archive() throws Exception {
        long expires = (server.clock.millis() + Duration.ofDays(7).toMillis()) / 1000;
        assertThat(link).startsWith("http://localhost:" + server.app.port() + "/downloads/" + task.trackingId()
                + ".zip?expires=" + expires + "&signature=");

        HttpResponse<byte[]> r = get(link);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/zip"));
        assertThat(r.headers().firstValue("Content-Disposition"))
                .contains("attachment; filename=\"" + task.trackingId() + ".zip\"");
        assertThat(r.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(r.body()).isEqualTo(Files.readAllBytes(retrievals.archive(task)));
    }

    @Test
    void a_tampered_or_missing_signature_is_refused_with_403() throws Exception {
        char last = link.charAt(link.length() - 1);
        String tampered = link.substring(0, link.length() - 1) + (last == '0' ? '1' : '0');
        String longer = link.replaceFirst("expires=(\\d+)", "expires=9$1");
        String unsigned = link.substring(0, link.indexOf("&signature="));

        for (String bad : new String[] {tampered, longer, unsigned}) {
            HttpResponse<byte[]> r = get(bad);
            assertThat(r.statusCode()).isEqualTo(403);
            assertThat(body(r)).contains("\"status\":\"error\"");
        }
    }

    @Test
    void an_expired_link_answers_410() throws Exception {
        server.clock.advance(Duration.ofDays(7).plusSeconds(1));

        HttpResponse<byte[]> r = get(link);

        assertThat(r.statusCode()).isEqualTo(410);
        assertThat(body(r)).contains("\"status\":\"error\"");
    }

    @Test
    void the_purger_removes_an_expired_archive_and_its_link_stays_gone() throws Exception {
        Path file = retrievals.archive(task);
        assertThat(server.app.archivePurger().purgeExpired()).isZero();
        server.clock.advance(Duration.ofDays(7).plusSeconds(1));

        assertThat(server.app.archivePurger().purgeExpired()).isEqualTo(1);

        Task purged = TaskRows.load(server.app.db(), task.id());
        assertThat(file).doesNotExist();
        assertThat(purged.resultPurged()).isTrue();
        assertThat(purged.resultPath()).isNull();
        assertThat(server.app.downloadLinks().apply(purged)).isEmpty();
        assertThat(get(link).statusCode()).isEqualTo(410);
        assertThat(server.app.archivePurger().purgeExpired()).isZero();
    }

    @Test
    void deleting_the_person_removes_their_archive_and_its_link_answers_410() throws Exception {
        Task bobs = retrievals.run(TaskRows.retrieval(project, "bob"));
        Task deletion = TaskRows.deletion(project, "alice").insert(server.app);

        server.app.deletionExecutor().run(deletion, new RecordingTaskRun(server.app.db(), deletion, server.clock));

        assertThat(retrievals.archive(task)).doesNotExist();
        assertThat(TaskRows.load(server.app.db(), deletion.id()).counts().get("archives_deleted").asLong()).isEqualTo(1);
        Task purged = TaskRows.load(server.app.db(), task.id());
        assertThat(purged.resultPurged()).isTrue();
        assertThat(server.app.downloadLinks().apply(purged)).isEmpty();
        assertThat(get(link).statusCode()).isEqualTo(410);
        assertThat(get(server.app.downloadLinks().apply(bobs)).statusCode()).isEqualTo(200);
    }

    @Test
    void a_link_is_empty_until_a_retrieval_has_a_live_archive() {
        Task started = TaskRows.retrieval(project, "bob").insert(server.app);
        Task deletion = TaskRows.deletion(project, "bob").insert(server.app);

        assertThat(server.app.downloadLinks().apply(started)).isEmpty();
        assertThat(server.app.downloadLinks().apply(deletion)).isEmpty();
    }

    @Test
    void an_unknown_archive_is_404_and_a_file_name_is_never_a_path() throws Exception {
        String query = link.substring(link.indexOf('?'));
        server.app.db().withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM tasks WHERE id = ?")) {
                ps.setLong(1, task.id());
                return ps.executeUpdate();
            }
        });

        assertThat(get(link).statusCode()).isEqualTo(404);
        for (String name : new String[] {"x.txt", "%2E%2E.zip", "..zip", "a.b.zip", "lethe.key"}) {
            HttpResponse<byte[]> r = get(server.baseUrl() + "/downloads/" + name + query);
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(body(r)).contains("\"status\":\"error\"");
        }
        String key = Files.readString(server.app.config().store().dataDir().resolve("lethe.key")).trim();
        for (String name : new String[] {"..%2Flethe.key", "..%2F..%2Fdata%2Flethe.key", "%2E%2E%2Flethe.key"}) {
            // why: Jetty itself refuses encoded separators (400) before routing; either way nothing is served.
            HttpResponse<byte[]> r = get(server.baseUrl() + "/downloads/" + name + query);
            assertThat(r.statusCode()).isIn(400, 404);
            assertThat(body(r)).doesNotContain(key);
        }
    }

    @Test
    void the_public_url_sets_the_host_of_the_link() {
        TestServer other = TestServer.start(store(), tmp.resolve("other"), b -> b.publicUrl("https://lethe.example.com/"));
        try {
            long p = other.createProject("acme").project().id();
            new Seed(other.app, p).events(event("alice"));
            Task t = new RetrievalFixture(other).run(TaskRows.retrieval(p, "alice"));

            assertThat(other.app.downloadLinks().apply(t)).startsWith("https://lethe.example.com/downloads/" + t.trackingId() + ".zip?");
        } finally {
            other.close();
        }
    }
}
