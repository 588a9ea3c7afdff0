package io.stowage.service;

class ConfiguredOnSqliteTest extends ConfiguredSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }
}
