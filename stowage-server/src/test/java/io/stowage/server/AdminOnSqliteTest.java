package io.stowage.server;

import io.stowage.service.TestDatabase;

class AdminOnSqliteTest extends AdminSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }
}
