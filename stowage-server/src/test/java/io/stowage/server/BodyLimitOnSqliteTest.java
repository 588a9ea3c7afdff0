package io.stowage.server;

import io.stowage.service.TestDatabase;

class BodyLimitOnSqliteTest extends BodyLimitSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }
}
