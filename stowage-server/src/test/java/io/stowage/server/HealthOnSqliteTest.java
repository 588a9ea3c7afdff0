package io.stowage.server;

import io.stowage.service.TestDatabase;

class HealthOnSqliteTest extends HealthSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }
}
