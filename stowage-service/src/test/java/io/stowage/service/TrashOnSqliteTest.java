package io.stowage.service;

class TrashOnSqliteTest extends TrashSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }
}
