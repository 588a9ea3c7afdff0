package io.stowage.server;

import io.stowage.service.TestDatabase;

class ContentOnSqliteTest extends ContentSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }
}
