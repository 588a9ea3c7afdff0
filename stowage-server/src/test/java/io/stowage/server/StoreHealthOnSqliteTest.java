package io.stowage.server;

import io.stowage.service.TestDatabase;

class StoreHealthOnSqliteTest extends StoreHealthSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }
}
