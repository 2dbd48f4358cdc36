package dev.lethe.ingest;

import dev.lethe.testing.StoreFixture;

class MixpanelSdkSqliteTest extends MixpanelSdkContract {
    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
