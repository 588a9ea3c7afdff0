package io.stowage.service;

class CatalogConcurrencyOnSqliteTest extends CatalogConcurrencySpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }
}
