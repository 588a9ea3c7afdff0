package io.stowage.service;

class MigrationOnSqliteTest extends MigrationSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }
}
