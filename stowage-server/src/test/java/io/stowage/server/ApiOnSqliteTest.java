package io.stowage.server;

import io.stowage.service.TestDatabase;

class ApiOnSqliteTest extends ApiSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }
}
