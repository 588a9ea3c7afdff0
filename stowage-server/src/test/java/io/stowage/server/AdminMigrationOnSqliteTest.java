package io.stowage.server;

import io.stowage.service.TestDatabase;

class AdminMigrationOnSqliteTest extends AdminMigrationSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }
}
