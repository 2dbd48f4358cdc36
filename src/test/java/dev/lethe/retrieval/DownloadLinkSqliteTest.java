package dev.lethe.retrieval;

import dev.lethe.testing.StoreFixture;

class DownloadLinkSqliteTest extends DownloadLinkContract {
    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }
}
