package dev.lethe.gdpr;

import dev.lethe.config.LetheConfig;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The default limits, as a real privacy tool meets them: it splits a job of 7,997 people into batches of at
 * most 1,999 ids, posts them in parallel and retries the whole job on any failure. Every batch must be
 * accepted, a retry of the job must return the same tasks without being limited, and a flood must still
 * get 429 with {@code Retry-After}.
 */
abstract class BatchClientLimitsContract extends GdprTestBase {

    private static final int PEOPLE = 7_997;
    private static final int BATCH = 1_999;

    @Override
    UnaryOperator<LetheConfig.Builder> config() {
        return b -> b.rateLimit(LetheConfig.DEFAULT_RATE_LIMIT).rateLimitBurst(LetheConfig.DEFAULT_RATE_LIMIT_BURST)
                .readRateLimit(LetheConfig.DEFAULT_READ_RATE_LIMIT).maxQueuedTasks(LetheConfig.DEFAULT_MAX_QUEUED_TASKS);
    }

    @Test
    void a_job_split_into_parallel_batches_succeeds_and_its_retry_returns_the_same_tasks() throws Exception {
        List<String> bodies = batches("person-");
        assertThat(bodies).hasSize(5);

        List<GdprClient.Response> first = postInParallel(bodies);
        assertThat(first).extracting(GdprClient.Response::status).containsOnly(201);
        List<GdprClient.Response> retried = postInParallel(bodies);
        assertThat(retried).extracting(GdprClient.Response::status).as("a retry of the whole job").containsOnly(201);
        assertThat(retried.stream().map(GdprClient.Response::trackingId).sorted().toList())
                .isEqualTo(first.stream().map(GdprClient.Response::trackingId).sorted().toList());
        assertThat(server.app.tasks().countUnfinished(owner.project().id())).isEqualTo(5);
    }

    @Test
    void a_flood_of_distinct_requests_still_meets_the_rate_with_retry_after() {
        List<Integer> statuses = new ArrayList<>();
        GdprClient.Response refused = null;
        for (int i = 0; i < LetheConfig.DEFAULT_RATE_LIMIT_BURST + 5; i++) {
            GdprClient.Response r = api.createDeletion(owner, GdprClient.ids("flood-" + i));
            statuses.add(r.status());
            if (r.status() == 429 && refused == null) {
                refused = r;
            }
        }
        assertThat(statuses.subList(0, LetheConfig.DEFAULT_RATE_LIMIT_BURST)).containsOnly(201);
        assertThat(statuses.subList(LetheConfig.DEFAULT_RATE_LIMIT_BURST, statuses.size())).containsOnly(429);
        assertThat(refused).isNotNull();
        assertThat(refused.raw().headers().firstValue("Retry-After")).contains("1");
        assertThat(refused.body()).isEqualTo("{\"status\":\"error\",\"error\":\"rate limit of task creations for this project "
                + "exceeded; retry after 1s\"}");
    }

    private static List<String> batches(String prefix) {
        List<String> bodies = new ArrayList<>();
        for (int from = 0; from < PEOPLE; from += BATCH) {
            String[] ids = IntStream.range(from, Math.min(PEOPLE, from + BATCH)).mapToObj(i -> prefix + i).toArray(String[]::new);
            bodies.add(GdprClient.ids(ids));
        }
        return bodies;
    }

    private List<GdprClient.Response> postInParallel(List<String> bodies) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(bodies.size());
        try {
            List<Future<GdprClient.Response>> futures = new ArrayList<>();
            for (String body : bodies) {
                futures.add(pool.submit(() -> api.createDeletion(owner, body)));
            }
            List<GdprClient.Response> out = new ArrayList<>();
            for (Future<GdprClient.Response> f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
