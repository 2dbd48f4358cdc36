package dev.lethe.store;

import dev.lethe.testing.StoreFixture;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ExportPlanPostgresTest extends ExportPlanContract {

    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }

    @Override
    void assertReadsThroughTheTimeIndexInOrder(List<String> plan) {
        // why: each partition's copy of events_time is named <partition>_project_id_time_ms_id_idx
        assertThat(plan).as("plan %s", plan)
                .noneMatch(line -> line.contains("Seq Scan"))
                .noneMatch(line -> line.matches("\\s*(->\\s*)?Sort .*"))
                .anyMatch(line -> line.matches(".*Index Scan using events_y2026m11_project_id_time_ms_id_idx.*"));
    }
}
