package io.stowage.service;

class ApiKeysOnSqliteTest extends ApiKeysSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }
}
