package io.stowage.service;

class CatalogJournalOnSqliteTest extends CatalogJournalSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }
}
