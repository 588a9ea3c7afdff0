package io.stowage.server;

import io.stowage.service.TestDatabase;

class AuthOnSqliteTest extends AuthSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }
}
