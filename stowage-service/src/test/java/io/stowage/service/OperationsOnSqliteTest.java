package io.stowage.service;

class OperationsOnSqliteTest extends OperationsSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }
}
