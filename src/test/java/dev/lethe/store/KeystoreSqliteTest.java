package dev.lethe.store;

import dev.lethe.testing.StoreFixture;
import dev.lethe.testing.StorePages;


/** On SQLite the keystore is the file keys.db beside the store, with its WAL. */
class KeystoreSqliteTest extends KeystoreContract {

    @Override
    StoreFixture store() {
        return StoreFixture.sqlite();
    }

    @Override
    boolean keystoreHolds(byte[] bytes) {
        return StorePages.sqliteFilesHold(db.keystore().file(), bytes);
    }
}
