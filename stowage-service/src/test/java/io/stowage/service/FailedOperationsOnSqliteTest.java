package io.stowage.service;

class FailedOperationsOnSqliteTest extends FailedOperationsSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }
}
