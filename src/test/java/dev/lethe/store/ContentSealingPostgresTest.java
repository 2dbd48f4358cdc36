package dev.lethe.store;

import dev.lethe.testing.StoreFixture;
import dev.lethe.testing.StorePages;


/** The store's heap pages are read with pageinspect, dead tuples included. */
class ContentSealingPostgresTest extends ContentSealingContract {

    @Override
    StoreFixture store() {
        return StoreFixture.postgres();
    }

    @Override
    boolean storeHolds(Database db, String text) {
        return StorePages.postgresTuplesHold(db, text);
    }
}
