package io.stowage.service;

class MigrationMatrixOnSqliteTest extends MigrationMatrixSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }
}
