package dev.lethe.gdpr;

import dev.lethe.testing.StoreFixture;

class BrowserSdkSqliteTest extends BrowserSdkContract {

    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
