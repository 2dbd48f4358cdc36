package dev.lethe.ingest;

import dev.lethe.testing.StoreFixture;

class MixpanelSdkPostgresTest extends MixpanelSdkContract {
    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
