package io.stowage.service;

class BufferedPartsOnSqliteTest extends BufferedPartsSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }
}
