package io.stowage.server;

import io.stowage.service.TestDatabase;

class CompatibilityOnSqliteTest extends CompatibilitySpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }
}
