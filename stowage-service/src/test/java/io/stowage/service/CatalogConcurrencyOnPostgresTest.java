package io.stowage.service;

class CatalogConcurrencyOnPostgresTest extends CatalogConcurrencySpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
