package dev.lethe.retrieval;

import dev.lethe.testing.StoreFixture;

class DownloadLinkPostgresTest extends DownloadLinkContract {
    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }
}
