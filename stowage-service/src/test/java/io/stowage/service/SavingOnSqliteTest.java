package io.stowage.service;

class SavingOnSqliteTest extends SavingSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }
}
