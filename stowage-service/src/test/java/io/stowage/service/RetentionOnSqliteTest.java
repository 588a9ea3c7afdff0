package io.stowage.service;

class RetentionOnSqliteTest extends RetentionSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }
}
