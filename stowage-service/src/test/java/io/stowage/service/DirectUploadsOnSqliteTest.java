package io.stowage.service;

class DirectUploadsOnSqliteTest extends DirectUploadsSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }
}
