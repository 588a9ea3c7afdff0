package io.stowage.service;

class ListingOnSqliteTest extends ListingSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }
}
