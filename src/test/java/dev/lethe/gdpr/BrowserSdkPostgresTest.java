package dev.lethe.gdpr;

import dev.lethe.testing.StoreFixture;

class BrowserSdkPostgresTest extends BrowserSdkContract {

    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
