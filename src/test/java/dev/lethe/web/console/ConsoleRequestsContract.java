package dev.lethe.web.console;

import dev.lethe.audit.AuditEntry;
import dev.lethe.auth.Role;
import dev.lethe.project.Project;
import dev.lethe.task.TaskKind;
import dev.lethe.testing.ArchiveContents;
import dev.lethe.testing.StoreFixture;
import dev.lethe.testing.TestHttp;
import dev.lethe.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.lethe.web.console.ConsoleFixtures.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's request pages over plain HTTP, on each store: a deletion filed through the form is previewed with the
 * person's counts, confirmed and carried out; a retrieval started from the person lookup is downloaded with the
 * session; a queued request is cancelled and audited. The browser class ({@code ConsoleBrowserSqliteTest}) runs the
 * same flows in Chromium on the embedded store; this one checks what each store gives those pages.
 */
abstract class ConsoleRequestsContract {

    private static final Pattern LOCATION_TRACKING = Pattern.compile("/requests/(deletion|retrieval)/([^/?]+)$");

    abstract StoreFixture store();

    @TempDir
    Path tmp;
    TestServer server;
    Project project;
    ConsoleClient console;

    @BeforeEach
    void start() {
        server = TestServer.start(store(), tmp);
        project = server.createProject("Shop").project();
        ConsoleFixtures.operator(server, project.id(), "dpo@example.com", Role.OWNER);
        ConsoleFixtures.adaAndBo(server, project.id());
        console = new ConsoleClient(server);
        assertThat(console.signIn("dpo@example.com", PASSWORD).statusCode()).isEqualTo(303);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void a_deletion_filed_in_the_form_previews_the_person_s_data_and_erases_only_it() {
        HttpResponse<String> preview = console.post(base() + "/new", form("kind", "deletion", "ids", "ada\nada\n"));
        assertThat(preview.statusCode()).isEqualTo(200);
        assertThat(preview.body()).contains("Confirm the deletion", "<dd id=\"preview-events\">3</dd>",
                "<dd id=\"preview-profiles\">1</dd>", "<dt>Linked ids covered</dt><dd>3</dd>");
        assertThat(server.app.tasks().list(project.id(), TaskKind.DELETION, null, null, 10)).as("nothing filed before the confirmation")
                .isEmpty();

        String tracking = filed(console.post(base() + "/confirm", form("kind", "deletion", "compliance", "GDPR", "mode", "delete",
                "ids", "ada")));
        assertThat(statusOnPage("deletion", tracking)).isEqualTo("PENDING");
        runWorkers();

        assertThat(statusOnPage("deletion", tracking)).isEqualTo("SUCCESS");
        assertThat(console.get(base() + ".json").body()).contains(tracking, "SUCCESS");
        assertThat(server.app.events().count(project.id(), List.of("ada", "device-ada", "ada@example.com"))).isZero();
        assertThat(server.app.events().count(project.id(), List.of("bo"))).isEqualTo(1);
        assertThat(console.get(base() + "/deletion/" + tracking).body()).as("linked ids only as keyed hashes")
                .contains("hmac-sha256:").doesNotContain("device-ada");
    }

    @Test
    void a_retrieval_from_the_person_lookup_downloads_with_the_session() throws Exception {
        String person = console.get("/console/p/" + project.id() + "/people?id=ada%40example.com").body();
        assertThat(person).contains("device-ada", "$email, plan");

        String tracking = filed(console.post(base() + "/new", form("kind", "retrieval", "compliance", "GDPR", "disclosure", "Data",
                "ids", "ada@example.com")));
        runWorkers();
        assertThat(statusOnPage("retrieval", tracking)).isEqualTo("SUCCESS");

        HttpResponse<String> download = console.get(base() + "/retrieval/" + tracking + "/download");
        assertThat(download.statusCode()).isEqualTo(303);
        String link = download.headers().firstValue("Location").orElseThrow();
        Path zip = tmp.resolve("archive.zip");
        HttpResponse<Path> archive = TestHttp.client().send(TestHttp.closing(HttpRequest.newBuilder(
                link.startsWith("http") ? java.net.URI.create(link) : server.uri(link)).GET()).build(), HttpResponse.BodyHandlers.ofFile(zip));
        assertThat(archive.statusCode()).isEqualTo(200);
        String events = new String(ArchiveContents.read(zip, null).get("events.jsonl"), StandardCharsets.UTF_8);
        assertThat(events.lines()).hasSize(3);
        assertThat(events).contains("Signed Up", "Paid").doesNotContain("\"bo\"");
        assertThat(server.app.audit().page(project.id(), null, 10)).extracting(AuditEntry::action)
                .containsExactly("download", "download", "create");
        HttpResponse<String> late = console.post(base() + "/retrieval/" + tracking + "/cancel",
                Map.of("csrf", console.csrf(base() + "/new")));
        assertThat(late.statusCode()).isEqualTo(405);
        assertThat(late.body()).as("the console's page, not the router's fallback").contains("can no longer be cancelled");
    }

    @Test
    void a_queued_deletion_cancelled_in_the_console_erases_nothing_and_is_audited() {
        String tracking = filed(console.post(base() + "/confirm", form("kind", "deletion", "compliance", "GDPR", "mode", "delete",
                "ids", "bo")));
        String csrf = console.csrf(base() + "/deletion/" + tracking);

        HttpResponse<String> cancel = console.post(base() + "/deletion/" + tracking + "/cancel", Map.of("csrf", csrf));
        assertThat(cancel.statusCode()).isEqualTo(303);
        assertThat(statusOnPage("deletion", tracking)).isEqualTo("REVOKED");
        runWorkers();
        assertThat(server.app.events().count(project.id(), List.of("bo"))).isEqualTo(1);
        assertThat(console.get("/console/p/" + project.id() + "/audit").body()).contains("cancel", "revoked", "dpo@example.com")
                .doesNotContain("bo@");
    }

    @Test
    void a_broken_multipart_body_is_a_400_page_and_files_nothing() {
        String csrf = console.csrf(base() + "/new");
        HttpResponse<String> noBoundary = console.post(base() + "/new", "multipart/form-data",
                ("csrf=" + csrf).getBytes(StandardCharsets.US_ASCII));
        assertThat(noBoundary.statusCode()).isEqualTo(400);
        assertThat(noBoundary.body()).contains("malformed multipart/form-data body");
        byte[] truncated = ("--XX\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + csrf
                + "\r\n--XX\r\nContent-Disposition: form-data; name=\"ids\"\r\n\r\nbo").getBytes(StandardCharsets.US_ASCII);
        HttpResponse<String> cut = console.post(base() + "/new", "multipart/form-data; boundary=XX", truncated);
        assertThat(cut.statusCode()).isEqualTo(400);
        assertThat(cut.body()).contains("malformed multipart/form-data body");
        byte[] twice = ("--XX\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + csrf
                + "\r\n--XX\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nretrieval"
                + "\r\n--XX\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\ndeletion"
                + "\r\n--XX\r\nContent-Disposition: form-data; name=\"ids\"\r\n\r\nbo\r\n--XX--\r\n").getBytes(StandardCharsets.US_ASCII);
        HttpResponse<String> repeated = console.post(base() + "/new", "multipart/form-data; boundary=XX", twice);
        assertThat(repeated.statusCode()).isEqualTo(400);
        assertThat(repeated.body()).contains("the form field &quot;kind&quot; is given more than once");
        HttpResponse<String> encoded = console.post(base() + "/new", "application/x-www-form-urlencoded",
                ("csrf=" + csrf + "&kind=retrieval&kind=deletion&ids=bo").getBytes(StandardCharsets.US_ASCII));
        assertThat(encoded.statusCode()).isEqualTo(400);
        assertNothingFiled();
    }

    @Test
    void ids_that_are_not_utf8_are_refused_and_nothing_is_filed() {
        String csrf = console.csrf(base() + "/new");
        HttpResponse<String> raw = console.post(base() + "/new", "application/x-www-form-urlencoded",
                bytes("csrf=" + csrf + "&kind=retrieval&ids=", new byte[] {(byte) 0xff, (byte) 0xfe}));
        assertThat(raw.statusCode()).isEqualTo(400);
        assertThat(raw.body()).contains("not valid UTF-8");
        HttpResponse<String> percent = console.post(base() + "/new", "application/x-www-form-urlencoded",
                ("csrf=" + csrf + "&kind=retrieval&ids=%FF%FE").getBytes(StandardCharsets.US_ASCII));
        assertThat(percent.statusCode()).isEqualTo(400);
        assertThat(percent.body()).contains("the form field &quot;ids&quot; is not valid UTF-8");
        // a CSV file saved as Latin-1: the line is refused by number, as other bad lines are
        HttpResponse<String> latin1 = console.post(base() + "/new", "multipart/form-data; boundary=XX", bytes(
                "--XX\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + csrf
                        + "\r\n--XX\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\nretrieval"
                        + "\r\n--XX\r\nContent-Disposition: form-data; name=\"csv\"; filename=\"ids.csv\"\r\n"
                        + "Content-Type: text/csv\r\n\r\ndistinct_id\nbo\nJos", new byte[] {(byte) 0xe9},
                "\n\r\n--XX--\r\n".getBytes(StandardCharsets.US_ASCII)));
        assertThat(latin1.statusCode()).isEqualTo(400);
        assertThat(latin1.body()).contains("id=\"refused\"", "CSV file, line 3", "not valid UTF-8");
        assertNothingFiled();
    }

    @Test
    void bad_path_and_form_values_answer_what_is_wrong_on_a_console_page() {
        HttpResponse<String> nuke = console.post(base() + "/new", form("kind", "nuke", "ids", "bo"));
        assertThat(nuke.statusCode()).isEqualTo(400);
        assertThat(nuke.body()).contains("must be deletion or retrieval", "<form");
        assertNothingFiled();
        HttpResponse<String> unknown = console.get(base() + "/deletion/no-such-tracking-id");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("no such task").doesNotContain("no such endpoint");
        HttpResponse<String> cancel = console.post(base() + "/deletion/no-such-tracking-id/cancel",
                Map.of("csrf", console.csrf(base() + "/new")));
        assertThat(cancel.statusCode()).isEqualTo(404);
        assertThat(cancel.body()).contains("no such task");
        HttpResponse<String> notAnId = console.get("/console/p/abc/requests");
        assertThat(notAnId.statusCode()).isEqualTo(404);
        assertThat(notAnId.body()).contains("no such project", "<html");
        HttpResponse<String> filter = console.get(base() + "?kind=nuke");
        assertThat(filter.statusCode()).isEqualTo(400);
        assertThat(filter.body()).contains("kind must be deletion or retrieval");
    }

    private void assertNothingFiled() {
        assertThat(server.app.tasks().list(project.id(), TaskKind.RETRIEVAL, null, null, 10)).isEmpty();
        assertThat(server.app.tasks().list(project.id(), TaskKind.DELETION, null, null, 10)).isEmpty();
    }

    private static byte[] bytes(Object... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (Object p : parts) {
            out.writeBytes(p instanceof byte[] b ? b : p.toString().getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private String base() {
        return "/console/p/" + project.id() + "/requests";
    }

    /** A form with the page's CSRF token and these fields, in order. */
    private Map<String, String> form(String... fields) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("csrf", console.csrf(base() + "/new"));
        for (int i = 0; i < fields.length; i += 2) {
            form.put(fields[i], fields[i + 1]);
        }
        return form;
    }

    /** The tracking id of the request a form's answer redirects to. */
    private static String filed(HttpResponse<String> answer) {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(303);
        Matcher m = LOCATION_TRACKING.matcher(answer.headers().firstValue("Location").orElseThrow());
        assertThat(m.find()).isTrue();
        return m.group(2);
    }

    private String statusOnPage(String kind, String tracking) {
        Matcher m = Pattern.compile("id=\"status\">([A-Z_]+)<").matcher(console.get(base() + "/" + kind + "/" + tracking).body());
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private void runWorkers() {
        while (server.app.engine().runOnce()) {
            // the worker's poll
        }
    }
}
