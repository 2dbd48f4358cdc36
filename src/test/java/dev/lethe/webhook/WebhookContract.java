package dev.lethe.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.store.StoreKind;
import dev.lethe.task.NewTask;
import dev.lethe.task.Task;
import dev.lethe.task.TaskClaims;
import dev.lethe.task.TaskKind;
import dev.lethe.task.TaskStatus;
import dev.lethe.task.TaskStore;
import dev.lethe.testing.StoreFixture;
import dev.lethe.testing.TestServer;
import dev.lethe.testing.WebhookReceiver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Webhooks end to end on a real store: the outbox, the sender, a real local receiver that checks signatures. */
abstract class WebhookContract {

    abstract StoreFixture store();

    private static final String PERSON = "webhook-person@example.com";

    @TempDir
    Path tmp;
    TestServer server;
    WebhookReceiver receiver;
    long project;

    @BeforeEach
    void start() {
        server = TestServer.start(store(), tmp);
        receiver = WebhookReceiver.start();
        project = server.createProject("hooked").project().id();
    }

    @AfterEach
    void stop() {
        receiver.close();
        server.close();
    }

    WebhookStore.Created webhook(String events) {
        return server.app.webhooks().create(project, receiver.url(), WebhookEvent.parseList(events));
    }

    Task deletion(String... ids) {
        return server.app.tasks().create(new NewTask(project, TaskKind.DELETION, "GDPR", null, false, "dpo@example.com",
                List.of(ids))).task();
    }

    int send() {
        return send(server.app.webhookSender());
    }

    static int send(WebhookSender sender) {
        int total = 0;
        int n;
        while ((n = sender.runOnce()) > 0) {
            total += n;
        }
        return total;
    }

    /** Runs the instance's task engine (the real executors) until no task is left. */
    void runTasks() {
        for (int polls = 0; polls < 100; polls++) {
            if (!server.app.engine().runOnce()) {
                return;
            }
        }
        throw new AssertionError("the task engine kept finding work");
    }

    List<DeliveryLog.Entry> log() {
        return new DeliveryLog(server.app.db()).recent(project, null, 1000);
    }

    long nowSeconds() {
        return server.clock.millis() / 1000;
    }

    @Test
    void a_deletion_s_events_arrive_signed_and_in_order() {
        String secret = webhook(null).secret();
        Task task = deletion(PERSON);
        runTasks();

        assertThat(send()).isEqualTo(4);

        assertThat(receiver.types()).containsExactly("task.created", "task.staging", "task.started", "task.finished");
        List<WebhookReceiver.Request> got = receiver.received();
        assertThat(got).allSatisfy(r ->
                assertThat(WebhookReceiver.verify(secret, r, nowSeconds())).as("signature of %s", r.id()).isTrue());
        assertThat(got.stream().map(WebhookReceiver.Request::id).distinct()).hasSize(4);
        assertThat(got.stream().map(r -> r.json().get("data").get("status").asText()))
                .containsExactly("PENDING", "STAGING", "STARTED", "SUCCESS");
        JsonNode data = got.get(3).json().get("data");
        assertThat(data.get("tracking_id").asText()).isEqualTo(task.trackingId());
        assertThat(data.get("kind").asText()).isEqualTo("deletion");
        assertThat(data.get("mode").asText()).isEqualTo("delete");
        assertThat(data.get("project_id").asLong()).isEqualTo(project);
        assertThat(data.get("compliance_type").asText()).isEqualTo("GDPR");
        assertThat(data.get("date_requested").asText()).isEqualTo("2026-11-28T09:15:02.118000");
        assertThat(data.get("distinct_ids").get(0).asText()).isEqualTo(PERSON);
        assertThat(got.get(3).json().get("timestamp").asText()).isEqualTo("2026-11-28T09:15:02.118Z");
        assertThat(log()).allSatisfy(e -> assertThat(e.outcome()).isEqualTo("delivered"));
        assertThat(send()).isZero();
    }

    @Test
    void a_refused_event_holds_back_the_task_s_later_events_until_it_is_delivered() {
        webhook(null);
        receiver.answer(500);
        deletion(PERSON);
        runTasks();
        Task other = deletion("someone-else");

        assertThat(send()).as("the refused created, then the other task's created").isEqualTo(2);
        assertThat(receiver.types()).containsExactly("task.created", "task.created");
        server.clock.advance(Duration.ofHours(2));
        send();

        assertThat(receiver.types()).containsExactly("task.created", "task.created", "task.created", "task.staging",
                "task.started", "task.finished");
        assertThat(receiver.received().get(1).json().get("data").get("tracking_id").asText()).isEqualTo(other.trackingId());
    }

    @Test
    void a_webhook_gets_only_the_events_it_asked_for_and_a_cancel_is_one() {
        webhook("task.finished,task.cancelled");
        Task cancelled = deletion("to-cancel");
        assertThat(server.app.tasks().cancel(project, TaskKind.DELETION, cancelled.trackingId()))
                .isEqualTo(TaskStore.CancelOutcome.REVOKED);
        deletion(PERSON);
        runTasks();

        send();

        assertThat(receiver.types()).containsExactlyInAnyOrder("task.cancelled", "task.finished");
        assertThat(receiver.received()).anySatisfy(r -> {
            assertThat(r.type()).isEqualTo("task.cancelled");
            assertThat(r.json().get("data").get("tracking_id").asText()).isEqualTo(cancelled.trackingId());
            assertThat(r.json().get("data").get("status").asText()).isEqualTo("REVOKED");
        });
    }

    @Test
    void a_failure_finishes_the_task_and_a_resumed_task_is_no_new_event() {
        webhook(null);
        Task task = deletion(PERSON);
        TaskClaims claims = new TaskClaims(server.app.db(), server.app.taskIdHashes(), new WebhookOutbox());
        long now = server.clock.millis();
        Task staged = claims.claimNext("worker-1", now, now + 1_000).orElseThrow();
        server.clock.advance(Duration.ofSeconds(2));
        now = server.clock.millis();
        Task resumed = claims.claimNext("worker-2", now, now + 1_000).orElseThrow();
        assertThat(resumed.status()).isEqualTo(TaskStatus.STAGING);
        assertThat(claims.fail(resumed.id(), resumed.version(), "disk full", now)).isTrue();
        assertThat(claims.fail(staged.id(), staged.version(), "too late", now)).as("a lost lease moves nothing").isFalse();

        send();

        assertThat(receiver.types()).containsExactly("task.created", "task.staging", "task.finished");
        assertThat(receiver.received().get(2).json().get("data").get("status").asText()).isEqualTo("FAILURE");
        assertThat(receiver.received().get(2).json().get("data").get("tracking_id").asText()).isEqualTo(task.trackingId());
    }

    @Test
    void a_project_without_webhooks_queues_nothing() {
        long other = server.createProject("quiet").project().id();
        webhook(null);
        server.app.tasks().create(new NewTask(other, TaskKind.DELETION, "GDPR", null, false, "dpo@example.com", List.of(PERSON)));
        runTasks();

        assertThat(send()).isZero();
        assertThat(receiver.received()).isEmpty();
    }

    @Test
    void a_receiver_that_answers_500_twice_sees_the_retries_then_it_is_delivered() {
        String secret = webhook("task.created").secret();
        receiver.answer(500, 500);
        deletion(PERSON);
        long firstTry = nowSeconds();

        assertThat(send()).isEqualTo(1);
        DeliveryLog.Entry first = log().get(0);
        assertThat(first.outcome()).isEqualTo("pending");
        assertThat(first.lastStatusCode()).isEqualTo(500);
        assertThat(first.nextAttemptAt()).isGreaterThan(server.clock.millis());
        assertThat(send()).as("nothing is due before the retry time").isZero();

        server.clock.advance(Duration.ofHours(2));
        assertThat(send()).isEqualTo(1);
        server.clock.advance(Duration.ofHours(2));
        assertThat(send()).isEqualTo(1);

        List<WebhookReceiver.Request> got = receiver.received();
        assertThat(got).hasSize(3);
        assertThat(got.stream().map(WebhookReceiver.Request::id).distinct()).as("one message id across retries").hasSize(1);
        for (int i = 0; i < 3; i++) {
            // why: each attempt is signed afresh with its own time, which a receiver checks against its clock
            assertThat(WebhookReceiver.verify(secret, got.get(i), firstTry + i * 2 * 3600L)).as("attempt %d", i + 1).isTrue();
        }
        DeliveryLog.Entry done = log().get(0);
        assertThat(done.outcome()).isEqualTo("delivered");
        assertThat(done.attempts()).isEqualTo(3);
        assertThat(done.nextAttemptAt()).isNull();
        assertThat(done.attemptLog()).extracting(DeliveryLog.AttemptRow::statusCode).containsExactly(500, 500, 200);
        assertThat(server.app.metrics().scrape())
                .contains("lethe_webhook_deliveries_total{outcome=\"retried\"} 2.0")
                .contains("lethe_webhook_deliveries_total{outcome=\"delivered\"} 1.0");
    }

    @Test
    void a_delivery_is_retried_for_24_hours_then_marked_failed() {
        webhook("task.created");
        receiver.answerAlways(503);
        deletion(PERSON);
        long occurred = server.clock.millis();

        send();
        for (int i = 0; i < 100 && "pending".equals(log().get(0).outcome()); i++) {
            server.clock.advance(Duration.ofMinutes(90));
            send();
        }

        DeliveryLog.Entry failed = log().get(0);
        assertThat(failed.outcome()).isEqualTo("failed");
        List<DeliveryLog.AttemptRow> attempts = failed.attemptLog();
        assertThat(attempts.get(attempts.size() - 1).at() - occurred).isGreaterThanOrEqualTo(Duration.ofHours(24).toMillis());
        assertThat(attempts.get(attempts.size() - 2).at() - occurred).isLessThan(Duration.ofHours(24).toMillis());
        assertThat(attempts).allSatisfy(a -> assertThat(a.statusCode()).isEqualTo(503));
        server.clock.advance(Duration.ofDays(1));
        assertThat(send()).as("a failed delivery is not sent again").isZero();
        assertThat(server.app.metrics().scrape()).contains("lethe_webhook_deliveries_total{outcome=\"failed\"} 1.0");
    }

    @Test
    void a_receiver_that_does_not_answer_is_timed_out_and_retried() {
        webhook("task.created");
        receiver.stall();
        deletion(PERSON);
        WebhookSender impatient = new WebhookSender(server.app.db(), server.app.webhooks(),
                WebhookSettings.DEFAULT.withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(300)), server.clock,
                server.app.metrics());

        assertThat(impatient.runOnce()).isEqualTo(1);

        DeliveryLog.Entry entry = log().get(0);
        assertThat(entry.outcome()).isEqualTo("pending");
        assertThat(entry.lastError()).isEqualTo("timeout");
        assertThat(entry.attemptLog()).singleElement().satisfies(a -> assertThat(a.statusCode()).isNull());
    }

    @Test
    void a_receiver_that_streams_an_endless_answer_does_not_hold_the_sender() throws Exception {
        webhook("task.created");
        receiver.streamEndlessly();
        deletion(PERSON);
        WebhookSender impatient = new WebhookSender(server.app.db(), server.app.webhooks(),
                WebhookSettings.DEFAULT.withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2)), server.clock,
                server.app.metrics());

        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            assertThat(pool.submit(impatient::runOnce).get(15, TimeUnit.SECONDS)).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }

        assertThat(log().get(0).outcome()).isEqualTo("delivered");
    }

    @Test
    void two_senders_racing_send_each_delivery_once() throws Exception {
        webhook("task.created");
        receiver.holdUntilConcurrent(2);
        int tasks = 12;
        for (int i = 0; i < tasks; i++) {
            deletion("racer-" + i);
        }
        WebhookSender a = new WebhookSender(server.app.db(), server.app.webhooks(), WebhookSettings.DEFAULT, server.clock,
                server.app.metrics());
        WebhookSender b = new WebhookSender(server.app.db(), server.app.webhooks(), WebhookSettings.DEFAULT, server.clock,
                server.app.metrics());

        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Integer> sentByA = pool.submit(() -> send(a));
            Future<Integer> sentByB = pool.submit(() -> send(b));
            int byA = sentByA.get(60, TimeUnit.SECONDS);
            int byB = sentByB.get(60, TimeUnit.SECONDS);
            assertThat(byA + byB).isEqualTo(tasks);
            assertThat(byA).as("both senders took part").isPositive();
            assertThat(byB).as("both senders took part").isPositive();
        } finally {
            pool.shutdownNow();
        }
        assertThat(receiver.overlapped()).as("the two senders were sending at the same time").isTrue();
        List<String> ids = receiver.received().stream().map(WebhookReceiver.Request::id).toList();
        assertThat(ids).hasSize(tasks).doesNotHaveDuplicates();
        assertThat(log()).hasSize(tasks).allSatisfy(e -> {
            assertThat(e.outcome()).isEqualTo("delivered");
            assertThat(e.attempts()).isEqualTo(1);
        });
    }

    @Test
    void a_delivery_held_by_a_dead_sender_is_sent_after_its_lease_and_after_a_restart() {
        webhook("task.created");
        deletion(PERSON);
        DeliveryClaims claims = new DeliveryClaims(server.app.db());
        long now = server.clock.millis();
        assertThat(claims.claimNext("dead-sender", now, now + WebhookSettings.DEFAULT.lease().toMillis())).isPresent();

        assertThat(send()).as("still leased").isZero();
        server = server.restart();
        server.clock.advance(WebhookSettings.DEFAULT.lease());
        assertThat(send()).isEqualTo(1);

        assertThat(receiver.types()).containsExactly("task.created");
        assertThat(log().get(0).outcome()).isEqualTo("delivered");
    }

    @Test
    void the_log_drops_settled_deliveries_past_its_window_never_pending_ones() {
        webhook("task.created");
        deletion("delivered-early");
        send();
        server.clock.advance(Duration.ofDays(31));
        receiver.answerAlways(500);
        deletion("still-pending");
        send();

        assertThat(new DeliveryLog(server.app.db()).prune(server.clock.millis() - Duration.ofDays(30).toMillis())).isEqualTo(1);

        assertThat(log()).singleElement().satisfies(e -> {
            assertThat(e.outcome()).isEqualTo("pending");
            assertThat(e.attemptLog()).hasSize(1);
        });
    }

    @Test
    void a_deleted_webhook_takes_its_pending_deliveries_along() {
        WebhookStore.Created hook = webhook(null);
        deletion(PERSON);

        assertThat(server.app.webhooks().delete(project, hook.webhook().id())).isTrue();

        assertThat(send()).isZero();
        assertThat(receiver.received()).isEmpty();
        assertThat(server.app.webhooks().list(project)).isEmpty();
        assertThat(server.app.webhooks().delete(project, hook.webhook().id())).isFalse();
    }

    @Test
    void a_delivery_queued_for_a_webhook_deleted_under_it_is_dropped_unsent() {
        WebhookStore.Created hook = webhook("task.created");
        deletion(PERSON);
        // why: what a delete leaves when a task's move queued a delivery between its two statements
        server.app.db().inTransaction(tx -> {
            try (PreparedStatement ps = tx.prepareStatement("DELETE FROM webhooks WHERE id = ?")) {
                ps.setLong(1, hook.webhook().id());
                return ps.executeUpdate();
            }
        });

        assertThat(send()).isEqualTo(1);

        assertThat(receiver.received()).isEmpty();
        long left = server.app.db().withConnection(tx -> {
            try (PreparedStatement ps = tx.prepareStatement("SELECT COUNT(*) FROM webhook_deliveries");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
        assertThat(left).isZero();
    }

    @Test
    void the_secret_is_never_in_the_store_in_clear_yet_signs() {
        WebhookStore.Created hook = webhook(null);
        String key = hook.secret().substring("whsec_".length());

        String rows = allRows();

        assertThat(rows).contains(receiver.url());
        assertThat(rows).doesNotContain(hook.secret()).doesNotContain(key);
        assertThat(server.app.webhooks().target(hook.webhook().id()).orElseThrow().secret()).isEqualTo(hook.secret());
    }

    @Test
    void after_the_id_retention_no_clear_id_is_sent_or_kept() {
        webhook(null);
        Task task = deletion(PERSON);
        runTasks();
        assertThat(webhookRows()).doesNotContain(PERSON);

        server.clock.advance(server.app.config().idRetention().plusDays(1));
        server.app.idRetention().applyOnce();
        assertThat(server.app.tasks().byTrackingId(task.trackingId()).orElseThrow().status()).isEqualTo(TaskStatus.SUCCESS);
        assertThat(send()).isEqualTo(4);

        assertThat(receiver.received()).hasSize(4).allSatisfy(r -> {
            assertThat(r.text()).doesNotContain(PERSON);
            assertThat(r.json().get("data").get("distinct_ids").get(0).asText()).startsWith("hmac-sha256:");
        });
        assertThat(webhookRows()).doesNotContain(PERSON);
    }

    /** Every row of the webhook tables as text. */
    private String webhookRows() {
        return rowsOf(List.of("webhooks", "webhook_deliveries", "webhook_attempts"));
    }

    /** Every row of every table of the store as text. */
    private String allRows() {
        String catalog = server.app.db().kind() == StoreKind.POSTGRES
                ? "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
                : "SELECT name FROM sqlite_master WHERE type = 'table'";
        List<String> tables = server.app.db().withConnection(tx -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = tx.prepareStatement(catalog); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
        assertThat(tables).contains("webhooks", "webhook_deliveries", "audit_log");
        return rowsOf(tables);
    }

    private String rowsOf(List<String> tables) {
        Set<String> seen = new HashSet<>();
        StringBuilder all = new StringBuilder();
        server.app.db().withConnection(tx -> {
            for (String table : tables) {
                if (!seen.add(table)) {
                    continue;
                }
                // why: table names come from the catalog or this test; there is nothing to bind.
                try (PreparedStatement ps = tx.prepareStatement("SELECT * FROM \"" + table + "\""); ResultSet rs = ps.executeQuery()) {
                    ResultSetMetaData md = rs.getMetaData();
                    while (rs.next()) {
                        for (int i = 1; i <= md.getColumnCount(); i++) {
                            all.append(rs.getString(i)).append('|');
                        }
                        all.append('\n');
                    }
                }
            }
            return null;
        });
        return all.toString();
    }
}
