package dev.lethe.store;

import dev.lethe.testing.StoreFixture;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PersonLookupPlanSqliteTest extends PersonLookupPlanContract {

    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }

    @Override
    void assertReadsOnlyThroughTheIndex(List<String> plan) {
        assertThat(plan).as("plan %s", plan)
                .anyMatch(line -> line.matches("SEARCH events USING (COVERING )?INDEX events_dedupe \\(project_id=\\? AND person_key=\\?.*"))
                .noneMatch(line -> line.startsWith("SCAN events"));
    }
}
