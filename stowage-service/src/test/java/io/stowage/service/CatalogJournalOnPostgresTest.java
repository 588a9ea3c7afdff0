package io.stowage.service;

class CatalogJournalOnPostgresTest extends CatalogJournalSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
