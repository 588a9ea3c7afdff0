package io.stowage.service;

class FileChangesOnSqliteTest extends FileChangesSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }
}
