package io.stowage.service;

class LiveStorageOnSqliteTest extends LiveStorageSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }
}
