package dev.lethe.gdpr;

import dev.lethe.config.LetheConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.function.UnaryOperator;

import static dev.lethe.gdpr.GdprClient.ids;
import static org.assertj.core.api.Assertions.assertThat;

/** Per-project rate limits for creations and for reads, and the cap on unfinished tasks: 429 with Retry-After. */
abstract class GdprLimitsContract extends GdprTestBase {

    @Override
    UnaryOperator<LetheConfig.Builder> config() {
        return b -> b.rateLimit(1).rateLimitBurst(3).readRateLimit(2).maxQueuedTasks(5);
    }

    @Test
    void creations_beyond_the_burst_are_429_until_the_bucket_refills() {
        for (int i = 0; i < 3; i++) {
            assertThat(api.createDeletion(owner, ids("p" + i)).status()).isEqualTo(201);
        }
        GdprClient.Response refused = api.createDeletion(owner, ids("p3"));
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.raw().headers().firstValue("Retry-After")).contains("1");
        assertThat(api.createDeletion(Caller.ownerOfNewProject(server), ids("p3")).status())
                .as("another project has its own bucket").isEqualTo(201);
        server.clock.advance(Duration.ofSeconds(1));
        assertThat(api.createDeletion(owner, ids("p3")).status()).isEqualTo(201);
    }

    @Test
    void reads_and_cancels_share_their_own_bucket() {
        String id = createdDeletion(owner, "alice");
        for (int i = 0; i < 5; i++) {
            assertThat(api.checkDeletion(owner, id).status()).isEqualTo(200);
        }
        assertThat(api.cancelDeletion(owner, id).status()).isEqualTo(200 + 4);
        GdprClient.Response refused = api.checkDeletion(owner, id);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.raw().headers().firstValue("Retry-After")).isPresent();
        assertThat(api.cancelDeletion(owner, id).status()).isEqualTo(429);
        server.clock.advance(Duration.ofSeconds(1));
        assertThat(api.checkDeletion(owner, id).status()).isEqualTo(200);
    }

    @Test
    void the_queue_cap_refuses_new_tasks_but_still_answers_duplicates() {
        for (int i = 0; i < 5; i++) {
            server.clock.advance(Duration.ofSeconds(1));
            createdDeletion(owner, "p" + i);
        }
        server.clock.advance(Duration.ofSeconds(10));
        GdprClient.Response refused = api.createRetrieval(owner, ids("p5"));
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.raw().headers().firstValue("Retry-After")).contains("30");
        assertThat(refused.error()).contains("unfinished");
        assertThat(api.createDeletion(owner, ids("p0")).status()).isEqualTo(201);
        api.cancelDeletion(owner, api.call("GET", GdprClient.DELETIONS, owner, null).results().get(0)
                .get("tracking_id").asText());
        assertThat(api.createRetrieval(owner, ids("p5")).status()).isEqualTo(201);
    }
}
