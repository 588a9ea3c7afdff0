package io.stowage.service;

class FileAdminOnSqliteTest extends FileAdminSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }
}
