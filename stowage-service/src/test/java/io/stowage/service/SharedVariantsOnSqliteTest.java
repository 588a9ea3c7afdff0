package io.stowage.service;

class SharedVariantsOnSqliteTest extends SharedVariantsSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }
}
