package dev.lethe.store;

import dev.lethe.testing.StoreFixture;
import dev.lethe.testing.StorePages;


class ContentSealingSqliteTest extends ContentSealingContract {

    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }

    @Override
    boolean storeHolds(Database db, String text) {
        return StorePages.sqliteFilesHold(db.config().sqliteFile(), text);
    }
}
