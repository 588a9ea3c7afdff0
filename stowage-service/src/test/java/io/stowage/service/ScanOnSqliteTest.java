package io.stowage.service;

class ScanOnSqliteTest extends ScanSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }
}
