package io.stowage.service;

class BatchOnSqliteTest extends BatchSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }
}
