package dev.lethe.store;

import dev.lethe.testing.StoreFixture;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PersonLookupPlanPostgresTest extends PersonLookupPlanContract {

    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }

    @Override
    void assertReadsOnlyThroughTheIndex(List<String> plan) {
        // why: "Index Scan using <idx> on <partition>" or "Bitmap Index Scan on <partition>_..._idx"
        assertThat(plan).as("plan %s", plan)
                .noneMatch(line -> line.contains("Seq Scan"))
                .anyMatch(line -> line.matches(".*Index (Only )?Scan .*events_y2026m11.*"))
                .anyMatch(line -> line.matches(".*Index (Only )?Scan .*events_default.*"));
    }
}
