package dev.lethe.web;

import dev.lethe.testing.StoreFixture;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ObservabilitySqliteTest extends ObservabilityContract {
    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }

    /** Only the embedded store rebuilds its file; on PostgreSQL the series stays absent. */
    @Test
    void a_rebuild_of_the_embedded_store_is_counted() {
        server.app.compactor().compactNow();

        assertThat(scrape()).contains("lethe_store_maintenance_seconds_count{operation=\"compaction\",outcome=\"ok\"} 1");
    }
}
