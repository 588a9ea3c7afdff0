package io.stowage.service;

class LinksOnSqliteTest extends LinksSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }
}
