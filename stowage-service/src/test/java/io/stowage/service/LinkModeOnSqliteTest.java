package io.stowage.service;

class LinkModeOnSqliteTest extends LinkModeSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }
}
