package io.stowage.service;

class LocationsOnSqliteTest extends LocationsSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }
}
