package dev.lethe.store;

import dev.lethe.testing.StoreFixture;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ExportPlanSqliteTest extends ExportPlanContract {

    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }

    @Override
    void assertReadsThroughTheTimeIndexInOrder(List<String> plan) {
        assertThat(plan).as("plan %s", plan)
                .anyMatch(line -> line.matches("SEARCH events USING INDEX events_time \\(project_id=\\? AND time_ms>\\? AND time_ms<\\?\\).*"))
                .noneMatch(line -> line.startsWith("SCAN events"))
                .noneMatch(line -> line.contains("TEMP B-TREE"));
    }
}
