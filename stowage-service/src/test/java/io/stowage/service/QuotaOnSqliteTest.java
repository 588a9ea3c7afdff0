package io.stowage.service;

class QuotaOnSqliteTest extends QuotaSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }
}
